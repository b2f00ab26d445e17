import { memo } from 'react';
import { displayState, type HostView } from '../../../main/core/api';
import { StateBadge } from './state-badge';

/**
 * One wall tile. Memoized on the host object: the store replaces a host's object only when it changed, so a batch of
 * updates re-renders the tiles that changed and nothing else.
 */
export const HostTile = memo(function HostTile({ host: h }: { host: HostView }) {
  return (
    <div className={`tile state-${displayState(h)}`} data-host={h.name}>
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
  );
});
