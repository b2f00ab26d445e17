/**
 * The alert list: filters, a detail pane with the operator's actions, silences and the wall alarm's settings.
 * Keyboard: j/k move, a acknowledge, s silence, r resolve, Enter go to the host, / search.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Severity } from '../../../main/core/api';
import { AckDialog, SilenceDialog } from '../components/alert-dialogs';
import { useNow } from '../components/clock';
import { ConfirmDialog } from '../components/confirm-dialog';
import { usePermissionState } from '../components/desktop-notifications';
import { durationText, localTimeText } from '../components/duration';
import { alertStandingText, SeverityBadge } from '../components/severity-badge';
import { type Alert, type Silence, severityRank } from '../state/alerts-slice';
import type { ConsoleStore, Snapshot } from '../state/console-store';

type StatusFilter = 'active' | 'firing' | 'acknowledged' | 'quiet' | 'resolved';
const STATUS_LABEL: Record<StatusFilter, string> = { active: 'Open', firing: 'Firing', acknowledged: 'Acknowledged', quiet: 'Quiet (silenced, maintenance, folded)', resolved: 'Resolved' };

interface Filters {
  status: StatusFilter;
  minSeverity: Alert['severity'];
  hostId: string;
  text: string;
}

function matches(a: Alert, f: Filters, hostName: (id: string | null) => string): boolean {
  const status =
    f.status === 'resolved' ||
    f.status === 'active' ||
    (f.status === 'firing' && a.status === 'firing' && a.suppressedBy === null) ||
    (f.status === 'acknowledged' && a.status === 'acknowledged') ||
    (f.status === 'quiet' && a.suppressedBy !== null);
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${a.summary} ${a.kind} ${a.key} ${hostName(a.hostId)}`.toLowerCase();
  return status && severityRank(a.severity) >= severityRank(f.minSeverity) && (!f.hostId || a.hostId === f.hostId) && words.every((w) => haystack.includes(w));
}

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function AlertsView(props: { store: ConsoleStore; snap: Snapshot; selectedId: string | null; select(id: string | null): void; goToHost(hostId: string): void }) {
  const { store, snap, selectedId, select } = props;
  const now = useNow();
  const operator = snap.session?.access === 'operator';
  const [filters, setFilters] = useState<Filters>({ status: 'active', minSeverity: 'info', hostId: '', text: '' });
  const [dialog, setDialog] = useState<'ack' | 'silence' | 'resolve' | null>(null);
  const [removeSilence, setRemoveSilence] = useState<Silence | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const rows = useRef<HTMLTableSectionElement>(null);

  const names = useMemo(() => new Map(snap.hosts.map((h) => [h.id, h.name])), [snap.hosts]);
  const hostName = (id: string | null) => (id === null ? '' : (names.get(id) ?? id));
  const source = filters.status === 'resolved' ? snap.alerts.resolved : snap.alerts.open;
  const list = source.filter((a) => matches(a, filters, hostName));
  const selected = list.find((a) => a.id === selectedId) ?? snap.alerts.open.find((a) => a.id === selectedId) ?? snap.alerts.resolved.find((a) => a.id === selectedId) ?? null;
  const actionable = operator && selected !== null && selected.status !== 'resolved';

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  // Keyboard shortcuts, only while no dialog is open and nobody is typing.
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (dialog || removeSilence || typingIn(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const i = list.findIndex((a) => a.id === selected?.id);
    const move = (to: number) => {
      const next = list[Math.max(0, Math.min(list.length - 1, to))];
      if (next) select(next.id);
    };
    if (e.key === 'j' || e.key === 'ArrowDown') move(i + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp') move(i < 0 ? 0 : i - 1);
    else if (e.key === 'a' && actionable && selected.status === 'firing') setDialog('ack');
    else if (e.key === 's' && actionable) setDialog('silence');
    else if (e.key === 'r' && actionable) setDialog('resolve');
    else if (e.key === 'Enter' && selected?.hostId) props.goToHost(selected.hostId);
    else if (e.key === '/') search.current?.focus();
    else return;
    e.preventDefault();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    rows.current?.querySelector('tr.selected')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  return (
    <main className="alerts-main">
      <section className="alert-list" aria-label="alerts">
        {snap.alerts.stateProblem && (
          <div className="banner banner-error" role="alert">
            {snap.alerts.stateProblem}
          </div>
        )}
        {error && (
          <div className="banner banner-error" role="alert">
            {error} <button onClick={() => setError(null)}>dismiss</button>
          </div>
        )}
        <div className="filters" role="search">
          <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value as StatusFilter })} aria-label="status">
            {(Object.keys(STATUS_LABEL) as StatusFilter[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
          <select value={filters.minSeverity} onChange={(e) => setFilters({ ...filters, minSeverity: e.target.value as Alert['severity'] })} aria-label="minimum severity">
            {Severity.options.map((s) => (
              <option key={s} value={s}>
                {s === 'info' ? 'any severity' : `${s} and worse`}
              </option>
            ))}
          </select>
          <select value={filters.hostId} onChange={(e) => setFilters({ ...filters, hostId: e.target.value })} aria-label="host">
            <option value="">all hosts</option>
            {snap.hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
          <input ref={search} value={filters.text} onChange={(e) => setFilters({ ...filters, text: e.target.value })} placeholder="Search alerts  ( / )" aria-label="search alerts" />
        </div>
        <table className="alerts-table">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th>Host</th>
              <th>{filters.status === 'resolved' ? 'Resolved' : 'Since'}</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody ref={rows}>
            {list.map((a) => (
              <tr key={a.id} className={`${a.id === selected?.id ? 'selected' : ''} status-${a.status}${a.suppressedBy ? ' quiet' : ''}`} onClick={() => select(a.id)} data-alert={a.id} aria-selected={a.id === selected?.id}>
                <td>
                  <SeverityBadge severity={a.severity} />
                </td>
                <td className="alert-summary">{a.summary}</td>
                <td>{hostName(a.hostId) || '—'}</td>
                <td className="muted">{a.status === 'resolved' && a.resolvedAtMs ? localTimeText(a.resolvedAtMs) : `${durationText(now - a.firedAtMs)} ago`}</td>
                <td className="alert-standing">{alertStandingText(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.length === 0 && <p className="empty">{snap.alerts.open.length === 0 && filters.status !== 'resolved' ? 'No open alerts. All quiet.' : 'No alerts match these filters.'}</p>}
        <p className="shortcuts muted">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> acknowledge · <kbd>s</kbd> silence · <kbd>r</kbd> resolve · <kbd>Enter</kbd> go to host · <kbd>/</kbd> search
        </p>
      </section>
      <aside className="detail" aria-label="alert detail">
        {selected ? <AlertDetail alert={selected} hostName={hostName(selected.hostId)} now={now} /> : <p className="empty">Select an alert (j/k) to see it here.</p>}
        {selected && (
          <div className="detail-actions">
            {actionable && selected.status === 'firing' && (
              <button className="primary" onClick={() => setDialog('ack')} title="a">
                Acknowledge…
              </button>
            )}
            {actionable && <button onClick={() => setDialog('silence')} title="s">Silence…</button>}
            {actionable && <button onClick={() => setDialog('resolve')} title="r">Resolve…</button>}
            {selected.hostId && <button onClick={() => props.goToHost(selected.hostId!)} title="Enter">Go to host</button>}
          </div>
        )}
        <Silences silences={snap.alerts.silences} alerts={[...snap.alerts.open, ...snap.alerts.resolved]} operator={operator} now={now} onRemove={setRemoveSilence} hostName={hostName} />
        <AlarmSettings store={store} snap={snap} operator={operator} onError={setError} />
      </aside>
      {dialog === 'ack' && selected && (
        <AckDialog
          alert={selected}
          onCancel={() => setDialog(null)}
          onAck={async (comment) => {
            await store.transport.command('alert.ack', { id: selected.id, comment });
            setDialog(null);
          }}
        />
      )}
      {dialog === 'silence' && selected && (
        <SilenceDialog
          alert={selected}
          hostName={selected.hostId ? hostName(selected.hostId) : null}
          nowMs={now}
          onCancel={() => setDialog(null)}
          onSilence={async (input) => {
            await store.transport.command('silence.add', input);
            setDialog(null);
          }}
        />
      )}
      {dialog === 'resolve' && selected && (
        <ConfirmDialog
          title="Resolve this alert by hand?"
          confirmLabel="Resolve"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            void run(() => store.transport.command('alert.resolve', { id: selected.id, comment: 'resolved by hand' }));
          }}
        >
          <p>
            <strong>{selected.summary}</strong> moves to the resolved alerts now, with your name in the journal. If the condition is still there, a new alert fires the next time it
            is seen.
          </p>
        </ConfirmDialog>
      )}
      {removeSilence && (
        <ConfirmDialog
          title="Remove this silence?"
          confirmLabel="Remove silence"
          danger
          onCancel={() => setRemoveSilence(null)}
          onConfirm={() => {
            const id = removeSilence.id;
            setRemoveSilence(null);
            void run(() => store.transport.command('silence.remove', { id }));
          }}
        >
          <p>
            Alerts it quiets ({matcherText(removeSilence, hostName, [...snap.alerts.open, ...snap.alerts.resolved])}) become loud again at once: they notify, and critical ones sound the wall alarm until acknowledged.
          </p>
        </ConfirmDialog>
      )}
    </main>
  );
}

function AlertDetail({ alert: a, hostName, now }: { alert: Alert; hostName: string; now: number }) {
  return (
    <div className="alert-detail" data-alert={a.id}>
      <div className="detail-head">
        <SeverityBadge severity={a.severity} />
        <h2>{a.summary}</h2>
      </div>
      <dl>
        <dt>State</dt>
        <dd>{alertStandingText(a)}</dd>
        {a.ack && (
          <>
            <dt>Acknowledged</dt>
            <dd>
              by {a.ack.by} at {localTimeText(a.ack.atMs)}
              {a.ack.comment && <div className="muted">“{a.ack.comment}”</div>}
            </dd>
          </>
        )}
        <dt>Host</dt>
        <dd>{hostName || '—'}</dd>
        <dt>Fired</dt>
        <dd>
          {localTimeText(a.firedAtMs)} ({durationText(now - a.firedAtMs)} ago)
        </dd>
        <dt>Last seen</dt>
        <dd>
          {localTimeText(a.lastSeenAtMs)} · raised {a.raiseCount}×
        </dd>
        {a.flapping && (
          <>
            <dt>Flapping</dt>
            <dd>since {a.flappingSinceMs ? localTimeText(a.flappingSinceMs) : '?'}: raised and cleared repeatedly; one alert stands for all of it</dd>
          </>
        )}
        {a.resolvedAtMs && (
          <>
            <dt>Resolved</dt>
            <dd>
              {localTimeText(a.resolvedAtMs)} after {durationText(a.resolvedAtMs - a.firedAtMs)} ({a.resolvedBy ?? a.resolveReason})
            </dd>
          </>
        )}
        <dt>Key</dt>
        <dd className="muted">
          {a.key} · {a.kind}
        </dd>
      </dl>
    </div>
  );
}

/** A silence's matcher in words; a key is named by the alert it belongs to when that alert is known. */
function matcherText(s: Silence, hostName: (id: string | null) => string, alerts: readonly Alert[]): string {
  const m = s.matcher;
  const keyed = m.keyPrefix ? alerts.find((a) => a.key === m.keyPrefix) : undefined;
  const key = keyed ? `"${keyed.summary}"` : m.keyPrefix && `key ${m.keyPrefix}…`;
  return [key, m.hostId && `everything on ${hostName(m.hostId)}`, m.severity && `severity ${m.severity.join('/')}`, m.kind && `all ${m.kind} alerts`].filter(Boolean).join(', ');
}

function Silences(props: { silences: Silence[]; alerts: readonly Alert[]; operator: boolean; now: number; onRemove(s: Silence): void; hostName(id: string | null): string }) {
  return (
    <section className="silences" aria-label="silences">
      <h3>Silences ({props.silences.length})</h3>
      {props.silences.length === 0 && <p className="muted">None. Alerts notify and sound as they fire.</p>}
      <ul>
        {props.silences.map((s) => (
          <li key={s.id} data-silence={s.id}>
            <strong>{matcherText(s, props.hostName, props.alerts)}</strong> for {durationText(s.expiresAtMs - props.now)} more
            <div className="muted">
              by {s.createdBy}: {s.comment}
            </div>
            {props.operator && (
              <button className="small" onClick={() => props.onRemove(s)}>
                Remove…
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AlarmSettings({ store, snap, operator, onError }: { store: ConsoleStore; snap: Snapshot; operator: boolean; onError(message: string): void }) {
  const alarm = snap.alerts.alarm;
  const [permission, askPermission] = usePermissionState();
  const [volume, setVolume] = useState<number | null>(null);
  if (!alarm) return null;
  const shownVolume = volume ?? alarm.volumePct;
  const call = (action: () => Promise<unknown>) => action().catch((err: Error) => onError(err.message));
  return (
    <section className="alarm-settings" aria-label="wall alarm">
      <h3>Wall alarm</h3>
      <p className={alarm.sounding ? 'alarm-state sounding' : 'alarm-state'} data-sounding={alarm.sounding}>
        {alarm.sounding ? `Sounding for ${alarm.alertIds.length} unacknowledged critical alert(s)` : alarm.muted ? 'Muted' : 'Quiet'}
      </p>
      {operator && (
        <div className="alarm-controls">
          <button onClick={() => call(() => store.transport.command('alarm.mute', { muted: !alarm.muted }))} aria-pressed={alarm.muted}>
            {alarm.muted ? 'Unmute alarm' : 'Mute alarm'}
          </button>
          <label className="volume">
            Volume
            <input
              type="range"
              min={0}
              max={100}
              step={5}
              value={shownVolume}
              onChange={(e) => setVolume(Number(e.target.value))}
              onPointerUp={() => volume !== null && call(() => store.transport.command('alarm.volume', { volumePct: volume }).then(() => setVolume(null)))}
              onKeyUp={() => volume !== null && call(() => store.transport.command('alarm.volume', { volumePct: volume }).then(() => setVolume(null)))}
              aria-label="alarm volume"
            />
            <span>{shownVolume}%</span>
          </label>
        </div>
      )}
      {snap.session?.transport === 'http' && (
        <p className="muted notifications-state">
          Desktop notifications: {permission === 'granted' ? 'on for new critical and major alerts' : permission === 'denied' ? 'blocked in this browser (allow them in the site settings)' : permission === 'unsupported' ? 'not available in this browser' : 'off'}{' '}
          {permission === 'default' && (
            <button className="small" onClick={() => void askPermission()}>
              Turn on
            </button>
          )}
        </p>
      )}
    </section>
  );
}
