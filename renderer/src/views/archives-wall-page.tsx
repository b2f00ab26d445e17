/** The wall's archives page: each replica set and storage group with its identity, big, and any running resync. */
import { bytesText, IdentityBadge } from '../components/archive-badges';
import '../archives.css';
import type { Snapshot } from '../state/console-store';
import { registerWallPage } from './wall-pages';

registerWallPage({
  id: 'archives',
  title: 'Archives',
  visible: (snap) => !!snap.archive && snap.archive.replicaSets.length + snap.archive.storageGroups.length > 0,
  render: (snap) => <WallArchives snap={snap} />,
});

function WallArchives({ snap }: { snap: Snapshot }) {
  const overview = snap.archive!;
  return (
    <div className="wall-archives" aria-label="archives">
      {overview.replicaSets.map((set) => {
        const running = set.jobs.filter((j) => j.state === 'running' || j.state === 'pending');
        const away = set.members.filter((m) => !m.healthy).map((m) => m.hostName);
        return (
          <div key={set.stream} className="wall-archive-row" data-set={set.stream}>
            <strong>{set.stream}</strong>
            <IdentityBadge state={set.identity.state} fingerprint={set.identity.fingerprint} big />
            <span>
              {set.members.length - away.length}/{set.members.length} healthy{away.length ? ` · away: ${away.join(', ')}` : ''}
            </span>
            {running.map((j) => (
              <span key={j.jobId}>
                ⟳ {j.hostName} {bytesText(j.bytesDone)}/{bytesText(j.bytesTotal)}
                {j.etaSec !== null ? ` · ETA ${Math.ceil(j.etaSec)} s` : ''}
              </span>
            ))}
          </div>
        );
      })}
      {overview.storageGroups.map((g) => (
        <div key={g.group} className="wall-archive-row" data-group={g.group}>
          <strong>group {g.group}</strong>
          <IdentityBadge state={g.identity.state} fingerprint={g.identity.fingerprint} big />
          <span>
            active {g.active.length}/{g.members.length}
          </span>
        </div>
      ))}
    </div>
  );
}
