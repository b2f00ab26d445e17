import { useEffect, useState } from 'react';
import { displayState, type HostView } from '../../../main/core/api';
import { Clock } from '../components/clock';
import { STATE_LABEL, StateBadge, StateIcon } from '../components/state-badge';
import type { Snapshot } from '../state/console-store';

const ALARM_STATES = new Set(['down', 'auth-failed', 'incompatible']);

interface WallPage {
  title: string;
  hosts(all: HostView[]): HostView[];
}

/** Pages that rotate; later rooms (channels, origins, archives, switches) add theirs here. */
const PAGES: WallPage[] = [
  { title: 'Overview', hosts: (all) => all },
  { title: 'Needs attention', hosts: (all) => all.filter((h) => !['ok', 'reserve'].includes(displayState(h))) },
];

export function WallView({ snap }: { snap: Snapshot }) {
  const [pageIndex, setPageIndex] = useState(0);
  const rotateSec = snap.settings?.wall.rotateSec ?? 20;
  const pages = PAGES.filter((p, i) => i === 0 || p.hosts(snap.hosts).length > 0);
  useEffect(() => {
    const t = setInterval(() => setPageIndex((i) => i + 1), rotateSec * 1000);
    return () => clearInterval(t);
  }, [rotateSec]);
  const page = pages[pageIndex % pages.length]!;
  const alarms = snap.hosts.filter((h) => ALARM_STATES.has(displayState(h)));
  const attention = snap.hosts.filter((h) => displayState(h) === 'attention');

  return (
    <div className="wall">
      <header className="wall-top">
        <div className="wall-title">
          TALLY <span className="wall-page">{page.title}</span>
          {pages.length > 1 && <span className="wall-page-count"> · page {(pageIndex % pages.length) + 1}/{pages.length}</span>}
        </div>
        <Clock big />
      </header>
      {!snap.connected && <div className="wall-banner wall-banner-stale" role="alert">Connection to the console lost — figures below are stale</div>}
      {snap.fleet?.isolated && (
        <div className="wall-banner wall-banner-stale" role="alert">
          Console isolated — {snap.fleet.silent}/{snap.fleet.monitored} hosts silent; no failover until it clears
        </div>
      )}
      {alarms.length > 0 ? (
        <div className="wall-banner wall-banner-alarm" role="alert" data-alarm="on">
          <StateIcon state="down" size={44} />
          <span>
            {alarms.length === 1 ? `${alarms[0]!.name} is ${STATE_LABEL[displayState(alarms[0]!)]}` : `${alarms.length} hosts in alarm: ${alarms.map((h) => h.name).join(', ')}`}
          </span>
        </div>
      ) : attention.length > 0 ? (
        <div className="wall-banner wall-banner-attention" role="status">
          <StateIcon state="attention" size={40} />
          <span>{attention.map((h) => h.name).join(', ')} need attention</span>
        </div>
      ) : (
        <div className="wall-banner wall-banner-ok" role="status">
          <StateIcon state="ok" size={40} />
          <span>All {snap.hosts.length} hosts OK</span>
        </div>
      )}
      <div className="wall-grid" style={{ ['--tiles' as string]: String(Math.max(1, page.hosts(snap.hosts).length)) }}>
        {page.hosts(snap.hosts).map((h) => (
          <div key={h.id} className={`tile state-${displayState(h)}`} data-host={h.name}>
            <div className="tile-name">{h.name}</div>
            <StateBadge host={h} big />
            <div className="tile-meta">
              {h.kind} · {h.role}
            </div>
            {h.health !== 'ok' && h.healthReason && <div className="tile-reason">{h.healthReason}</div>}
            <div className="tile-figures">
              <span>CPU {h.system ? `${h.system.cpuPct.toFixed(0)}%` : '—'}</span>
              <span>MEM {h.system ? `${h.system.memPct.toFixed(0)}%` : '—'}</span>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
