/**
 * The wall's origins and switches pages, added to the rotation through wall-pages.tsx's registry. Each shows only
 * while there is something to show (origins reporting, switches on record); worst first, big, colour + icon + word.
 */
import { formatKbps, OriginStateBadge, portName, portStateOf, RedundancyBadge, redundancyOf, SwitchStateBadge, switchTone } from '../components/network-badges';
import '../network.css';
import type { Snapshot } from '../state/console-store';
import type { OriginsOverview, StreamRow } from '../state/network-slice';
import { minFor } from './origins-view';
import { registerWallPage } from './wall-pages';

const MAX_STREAM_ROWS = 14;
const RANK = { down: 0, attention: 1, ok: 2 } as Record<string, number>;

function worstFirst(overview: OriginsOverview): StreamRow[] {
  const rank = (row: StreamRow) => RANK[redundancyOf(row.liveOn.length, minFor(overview.settings, row.key)).tone] ?? 3;
  return [...overview.matrix.streams].sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key));
}

function WallOrigins({ snap }: { snap: Snapshot }) {
  const overview = snap.network.origins!;
  const rows = worstFirst(overview);
  const shown = rows.slice(0, MAX_STREAM_ROWS);
  return (
    <div className="wall-origins" aria-label="origins matrix">
      <table className="wall-matrix" data-wall-page="origins">
        <thead>
          <tr>
            <th>Stream</th>
            <th>Origins (rule ≥ {overview.settings.minOrigins})</th>
            {overview.matrix.origins.map((o) => (
              <th key={o.hostId}>
                {o.hostName} <OriginStateBadge state={o.state} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={row.key} data-stream={row.key}>
              <td className="stream-name">{row.key}</td>
              <td>
                <RedundancyBadge live={row.liveOn.length} min={minFor(overview.settings, row.key)} />
              </td>
              {overview.matrix.origins.map((o) => {
                const cell = row.cells[o.hostId];
                return (
                  <td key={o.hostId} className={`cell cell-${!cell ? 'absent' : cell.live ? 'live' : cell.publishing ? 'stale' : 'idle'}`}>
                    <span className="cell-state">{!cell ? '—' : cell.live ? `● LIVE ${formatKbps(cell.bitrateInKbps)}` : cell.publishing ? '◐ NOT COUNTED' : '○ NO PUBLISHER'}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && <div className="wall-alert-more">+{rows.length - shown.length} more streams, all fine or listed on the desk</div>}
    </div>
  );
}

function WallSwitches({ snap }: { snap: Snapshot }) {
  const network = snap.network.network!;
  const hostNames = new Map(network.hosts.map((h) => [h.hostId, h]));
  return (
    <div className="wall-switches" data-wall-page="switches">
      {network.switches.map((sw) => {
        const up = sw.view.ports.filter((p) => p.oper === 'up').length;
        const cutOff = network.hosts.filter((h) => h.reachability === 'unreachable' && sw.uplinks.some((u) => u.hostId === h.hostId));
        const advisories = network.advisories.filter((a) => a.related.includes(sw.id));
        return (
          <div key={sw.id} className={`wall-switch state-${switchTone(sw.view.state)}`} data-switch={sw.name}>
            <div className="wall-switch-name">{sw.name}</div>
            <SwitchStateBadge state={sw.view.state} big />
            <div className="wall-switch-figures">
              {up}/{sw.view.ports.length} ports up · {sw.uplinks.length} host uplinks
            </div>
            {sw.view.state !== 'up' && sw.view.error && <div className="wall-switch-note">{sw.view.error}</div>}
            {cutOff.length > 0 && <div className="wall-switch-note">Cut off behind it: {cutOff.map((h) => hostNames.get(h.hostId)?.hostName).join(', ')}</div>}
            <div className="wall-ports">
              {sw.uplinks.map((u) => {
                const port = sw.view.ports.find((p) => p.ifIndex === u.port || portName(p).toLowerCase() === String(u.port).toLowerCase());
                const tone = u.state === 'up' ? 'ok' : u.state === 'down' ? 'down' : 'unknown';
                return (
                  <span key={`${u.hostId}:${u.port}`} className={`wall-port state-${tone}`}>
                    {u.hostName} {port ? portName(port) : u.port} {port ? portStateOf(port).label : u.state.toUpperCase()}
                  </span>
                );
              })}
            </div>
            {advisories.length > 0 && <div className="wall-advisories">⚠ {advisories.length} single point{advisories.length > 1 ? 's' : ''} of failure — see the desk</div>}
          </div>
        );
      })}
    </div>
  );
}

registerWallPage({ id: 'origins', title: 'Origins', visible: (snap) => (snap.network.origins?.matrix.origins.length ?? 0) > 0, render: (snap) => <WallOrigins snap={snap} /> });
registerWallPage({ id: 'switches', title: 'Switches', visible: (snap) => (snap.network.network?.switches.length ?? 0) > 0, render: (snap) => <WallSwitches snap={snap} /> });
