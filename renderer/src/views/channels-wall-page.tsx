/**
 * The wall's Channels page, added to the rotation through wall-pages.tsx's registry: one tile per channel, worst
 * first, big enough to read from across the room — name, host, state by colour + icon + word, bitrate.
 */
import type { HostView } from '../../../main/core/api';
import { channelRank, ChannelStateBadge, channelTone, fpsText, hostIsLive, kbpsText } from '../components/channel-badges';
import '../channels.css';
import type { Snapshot } from '../state/console-store';
import { registerWallPage } from './wall-pages';

const MAX_TILES = 24;

function WallChannels({ snap }: { snap: Snapshot }) {
  const hosts = new Map<string, HostView>(snap.hosts.map((h) => [h.id, h]));
  const tiles = [...snap.channels.byHost.values()]
    .filter((t) => hosts.has(t.hostId))
    .flatMap((t) => t.channels.map((status) => ({ host: hosts.get(t.hostId)!, status, live: hostIsLive(hosts.get(t.hostId)) })))
    .sort((a, b) => channelRank(a.status, a.live) - channelRank(b.status, b.live) || a.host.name.localeCompare(b.host.name) || a.status.name.localeCompare(b.status.name));
  const shown = tiles.slice(0, MAX_TILES);
  return (
    <div className="wall-channels" data-wall-page="channels">
      {shown.map(({ host, status, live }) => (
        <div key={`${host.id}/${status.name}`} className={`wall-channel state-${channelTone(status, live).tone}`} data-channel={status.name} data-host={host.name}>
          <div className="wall-channel-name">{status.name}</div>
          <ChannelStateBadge status={status} hostLive={live} big />
          <div className="wall-channel-meta">on {host.name}</div>
          <div className="wall-channel-figures">
            {kbpsText(status.bitrateKbps)} · {fpsText(status.fps)} fps{status.restarts > 0 ? ` · ${status.restarts} restarts` : ''}
          </div>
        </div>
      ))}
      {tiles.length > shown.length && <div className="wall-alert-more">+{tiles.length - shown.length} more channels on the desk</div>}
    </div>
  );
}

registerWallPage({
  id: 'channels',
  title: 'Channels',
  visible: (snap) => [...snap.channels.byHost.values()].some((t) => t.channels.length > 0),
  render: (snap) => <WallChannels snap={snap} />,
});
