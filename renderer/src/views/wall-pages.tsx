/**
 * The wall's rotating pages beyond the host tiles: a registry that later rooms (channels, origins, archives,
 * switches) add their pages to with `registerWallPage`, imported once from here. A page is shown only while it has
 * something to say.
 */
import type { ReactNode } from 'react';
import { useNow } from '../components/clock';
import { durationText } from '../components/duration';
import { alertStandingText, SeverityBadge } from '../components/severity-badge';
import '../operator.css';
import type { Snapshot } from '../state/console-store';

export interface WallPage {
  id: string;
  title: string;
  visible(snap: Snapshot): boolean;
  render(snap: Snapshot): ReactNode;
}

const registry: WallPage[] = [];

/** Adds a page to the rotation (once per id: a hot reload does not add it twice). */
export function registerWallPage(page: WallPage): void {
  const i = registry.findIndex((p) => p.id === page.id);
  if (i >= 0) registry[i] = page;
  else registry.push(page);
}

export function registeredWallPages(): readonly WallPage[] {
  return registry;
}

const MAX_ALERT_ROWS = 12;

registerWallPage({ id: 'alerts', title: 'Alerts', visible: (snap) => snap.alerts.open.length > 0, render: (snap) => <WallAlerts snap={snap} /> });

/** Open alerts, big: what is wrong, where, for how long, and who has it. */
function WallAlerts({ snap }: { snap: Snapshot }) {
  const nowMs = useNow();
  const hostName = new Map(snap.hosts.map((h) => [h.id, h.name]));
  const rows = snap.alerts.open.slice(0, MAX_ALERT_ROWS);
  return (
    <div className="wall-alerts" aria-label="open alerts">
      {rows.map((a) => (
        <div key={a.id} className={`wall-alert sev-${a.severity} status-${a.status}${a.suppressedBy ? ' quiet' : ''}`} data-alert={a.id}>
          <SeverityBadge severity={a.severity} big />
          <div className="wall-alert-text">
            <div className="wall-alert-summary">{a.summary}</div>
            <div className="wall-alert-meta">
              {a.hostId ? `${hostName.get(a.hostId) ?? a.hostId} · ` : ''}for {durationText(nowMs - a.firedAtMs)} · {alertStandingText(a)}
            </div>
          </div>
        </div>
      ))}
      {snap.alerts.open.length > rows.length && <div className="wall-alert-more">+{snap.alerts.open.length - rows.length} more open alerts on the desk</div>}
    </div>
  );
}
