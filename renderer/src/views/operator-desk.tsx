/**
 * The desk as operators use it through a shift: sign in first, then tabs for hosts, alerts, the journal and the shift
 * report (routes in the address's #fragment, so a notification can open `#/alerts/<id>`), desktop notifications,
 * and sign-out at the end of the shift.
 */
import { useCallback, useEffect, useState } from 'react';
import { useAlertNotifications } from '../components/desktop-notifications';
import type { ConsoleStore, Snapshot } from '../state/console-store';
import { forgetSignIn, rememberSignIn, signedInName } from '../state/operator-session';
import '../operator.css';
import { AlertsView } from './alerts-view';
import { ChannelsView } from './channels-view';
import { DeskView } from './desk-view';
import { FailoverView } from './failover-view';
import { HandoverView } from './handover-view';
import { JournalView } from './journal-view';
import { OriginsView } from './origins-view';
import { ArchivesView } from './archives-view';
import { SignIn } from './sign-in';
import { SwitchesView } from './switches-view';

type Tab = 'hosts' | 'failover' | 'alerts' | 'journal' | 'handover' | 'origins' | 'switches' | 'channels' | 'archives';
const TABS: [Tab, string][] = [
  ['hosts', 'Hosts'],
  ['failover', 'Failovers'],
  ['alerts', 'Alerts'],
  ['channels', 'Channels'],
  ['origins', 'Origins'],
  ['switches', 'Switches'],
  ['archives', 'Archives'],
  ['journal', 'Journal'],
  ['handover', 'Shift report'],
];

function routeOf(hash: string): { tab: Tab; id: string | null } {
  const m = /^#\/(channels|hosts|failover|alerts|journal|handover|origins|switches|archives)(?:\/(.+))?$/.exec(hash);
  return m ? { tab: m[1] as Tab, id: m[2] ? decodeURIComponent(m[2]) : null } : { tab: 'hosts', id: null };
}

export function go(tab: Tab, id?: string | null): void {
  window.location.hash = `#/${tab}${id ? `/${encodeURIComponent(id)}` : ''}`;
}

export function OperatorDesk({ store, snap }: { store: ConsoleStore; snap: Snapshot }) {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  const [operatorName, setOperatorName] = useState(signedInName);
  useEffect(() => {
    const onHash = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const openAlert = useCallback((id: string) => go('alerts', id), []);
  useAlertNotifications(store.transport, openAlert);

  const isOperator = snap.session?.access === 'operator';
  const lastSignIn = snap.journal.findLast((e) => e.kind === 'operator.signin')?.operator ?? null;

  async function signIn(name: string) {
    await store.transport.command('session.signIn', { name });
    rememberSignIn(name);
    setOperatorName(name);
    await store.load();
  }

  async function signOut() {
    await store.transport.command('session.signOut', {});
    forgetSignIn();
    setOperatorName(null);
  }

  const unacked = snap.alerts.unacknowledged;
  const nav = (
    <nav className="desk-tabs" aria-label="desk sections">
      {TABS.map(([tab, label]) => (
        <a key={tab} href={`#/${tab}`} className={route.tab === tab ? 'tab active' : 'tab'} aria-current={route.tab === tab ? 'page' : undefined} data-tab={tab}>
          {label}
          {tab === 'alerts' && unacked > 0 && (
            <span className="tab-count" aria-label={`${unacked} unacknowledged`}>
              {unacked}
            </span>
          )}
        </a>
      ))}
      {isOperator && operatorName && (
        <button className="small sign-out" onClick={() => void signOut()} aria-label={`Sign out ${operatorName}`} title={`End of shift for ${operatorName}: the next operator signs in`}>
          Sign out
        </button>
      )}
    </nav>
  );

  const body =
    route.tab === 'failover' ? (
      <FailoverView store={store} snap={snap} />
    ) : route.tab === 'alerts' ? (
      <AlertsView store={store} snap={snap} selectedId={route.id} select={(id) => go('alerts', id)} goToHost={(hostId) => go('hosts', hostId)} />
    ) : route.tab === 'journal' ? (
      <JournalView store={store} snap={snap} />
    ) : route.tab === 'channels' ? (
      <ChannelsView store={store} snap={snap} selectedId={route.id} select={(id) => go('channels', id)} />
    ) : route.tab === 'origins' ? (
      <OriginsView store={store} snap={snap} />
    ) : route.tab === 'switches' ? (
      <SwitchesView store={store} snap={snap} />
    ) : route.tab === 'archives' ? (
      <ArchivesView store={store} snap={snap} />
    ) : route.tab === 'handover' ? (
      <HandoverView store={store} snap={snap} />
    ) : undefined;

  return (
    <>
      <DeskView store={store} snap={snap} nav={nav} focusHostId={route.tab === 'hosts' ? route.id : null}>
        {body}
      </DeskView>
      {isOperator && !operatorName && <SignIn lastOperator={lastSignIn} offerNotifications={snap.session?.transport === 'http'} onSignIn={signIn} />}
    </>
  );
}
