/**
 * The desk's Archives tab: each replica set with its identity at a glance, its members, the hours that differ, the
 * time ranges each member lacks, conflicts, and its resync jobs (progress, throughput, ETA); a resync button behind a
 * confirmation that names what will be pulled from whom; recovery mode on/off; the storage groups with the members a
 * client would be handed.
 */
import { useState } from 'react';
import type { QueryOutput } from '../../../main/core/api';
import { bytesText, IdentityBadge, JobBar, timeOfDay } from '../components/archive-badges';
import { ConfirmDialog } from '../components/confirm-dialog';
import { FindingsList } from '../components/findings-list';
import '../archives.css';
import type { ReplicaSet, StorageGroup } from '../state/archive-slice';
import type { ConsoleStore, Snapshot } from '../state/console-store';

type Preview = QueryOutput<'archive.resync.preview'>;

export function ArchivesView({ store, snap }: { store: ConsoleStore; snap: Snapshot }) {
  const overview = snap.archive;
  const operator = snap.session?.access === 'operator';
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!overview) return <main className="archives-main"><p className="empty">Loading the archives…</p></main>;
  const findings = snap.network.findings.filter((f) => f.source === 'archive');

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <main className="archives-main">
      <section aria-label="replica sets">
        <div className="section-head">
          <h2>Replica sets — {overview.replicaSets.length}</h2>
          <label className="recovery-mode">
            <input
              type="checkbox"
              checked={overview.settings.autoResync}
              disabled={!operator}
              onChange={(e) => void run(() => store.transport.command('archive.settings.update', { autoResync: e.target.checked }))}
            />{' '}
            Recovery mode: resync by itself when a member returns
          </label>
        </div>
        {error && <p className="form-error" role="alert">{error}</p>}
        {overview.replicaSets.length === 0 && <p className="empty">No archive host reports a stream yet.</p>}
        {overview.replicaSets.map((set) => (
          <ReplicaSetCard key={set.stream} set={set} canResync={operator} onResync={() => void run(async () => setPreview(await store.transport.query('archive.resync.preview', { stream: set.stream })))} />
        ))}
        <h2 className="subhead">Archive findings</h2>
        <FindingsList findings={findings} empty="Every set has two healthy members, no overdue gap, no conflict, no full disk." label="archive findings" />
      </section>
      <section aria-label="storage groups">
        <h2>Storage groups — {overview.storageGroups.length}</h2>
        {overview.storageGroups.length === 0 && <p className="empty">No storage member reports yet.</p>}
        {overview.storageGroups.map((g) => (
          <StorageGroupCard key={g.group} group={g} />
        ))}
      </section>
      {preview && (
        <ConfirmDialog
          title={`Resync ${preview.stream}?`}
          confirmLabel={preview.pulls.length ? 'Pull these segments' : 'Close'}
          onCancel={() => setPreview(null)}
          onConfirm={() => {
            const stream = preview.stream;
            const go = preview.pulls.length > 0;
            setPreview(null);
            if (go) void run(() => store.transport.command('archive.resync', { stream }));
          }}
        >
          <p data-resync-summary>{preview.summary}</p>
          {preview.pulls.length > 0 && (
            <ul>
              {preview.pulls.map((p) => (
                <li key={`${p.hostId}/${p.sourceId}`}>
                  {p.hostName} pulls {p.segments} segments ({bytesText(p.bytes)}{p.repairs ? `, ${p.repairs} bit-rot repairs` : ''}) from {p.sourceName}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">Only missing or rotten segments are pulled; each is hash-verified before it is renamed into place. Conflicts are never overwritten.</p>
        </ConfirmDialog>
      )}
    </main>
  );
}

function ReplicaSetCard({ set, canResync, onResync }: { set: ReplicaSet; canResync: boolean; onResync(): void }) {
  return (
    <article className="replica-set" data-set={set.stream}>
      <header className="set-head">
        <h3>{set.stream}</h3>
        <IdentityBadge state={set.identity.state} fingerprint={set.identity.fingerprint} />
        {canResync && (
          <button className="small" onClick={onResync} data-action="resync">
            Resync…
          </button>
        )}
      </header>
      {set.compareError && <p className="form-error">Compare failed: {set.compareError}</p>}
      <table className="members">
        <thead>
          <tr>
            <th>Member</th>
            <th>State</th>
            <th>Recorder</th>
            <th>Segments</th>
            <th>Fingerprint</th>
            <th>Disk</th>
            <th>Missing</th>
          </tr>
        </thead>
        <tbody>
          {set.members.map((m) => (
            <tr key={m.hostId} data-member={m.hostName}>
              <td>{m.hostName}</td>
              <td className={m.healthy ? 'tone-ok' : 'tone-down'}>{m.healthy ? '● healthy' : '✖ away'}</td>
              <td>{m.recording ? `● ${m.recorderState}` : '○ replica'}</td>
              <td>
                {m.segments} · {bytesText(m.bytes)}
                {m.rotSegments > 0 ? ` · ${m.rotSegments} bit rot` : ''}
              </td>
              <td>
                <code>{m.fingerprint ?? '—'}</code> {m.fingerprint && !m.agreesWithMajority ? '≠' : ''}
              </td>
              <td>{m.diskUsedPct === null ? '—' : `${m.diskUsedPct.toFixed(0)} %`}</td>
              <td data-missing={m.missing.length}>
                {m.missing.length === 0
                  ? '—'
                  : m.missing.slice(0, 4).map((r) => (
                      <div key={r.fromMs}>
                        {timeOfDay(r.fromMs)}–{timeOfDay(r.toMs)} ({r.segments} seg)
                      </div>
                    ))}
                {m.missing.length > 4 && <div className="muted">+{m.missing.length - 4} more ranges</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {set.hoursThatDiffer.length > 0 && (
        <p className="muted">
          Hours that differ: {set.hoursThatDiffer.slice(0, 6).map((h) => `${h.hour} (${h.reasons.join(', ')})`).join(' · ')}
          {set.hoursThatDiffer.length > 6 ? ` · +${set.hoursThatDiffer.length - 6} more` : ''}
        </p>
      )}
      {set.conflicts.length > 0 && (
        <p className="form-error">
          Conflicts (different bytes under one name, nothing overwritten): {set.conflicts.slice(0, 4).map((c) => c.name).join(', ')}
        </p>
      )}
      {set.unrepairable > 0 && <p className="form-error">{set.unrepairable} needed segments have no good copy on any member.</p>}
      {set.jobs.length > 0 && (
        <div className="jobs" aria-label={`resync jobs of ${set.stream}`}>
          {set.jobs.map((j) => (
            <JobBar key={`${j.hostId}/${j.jobId}`} job={j} />
          ))}
        </div>
      )}
    </article>
  );
}

function StorageGroupCard({ group }: { group: StorageGroup }) {
  return (
    <article className="storage-group" data-group={group.group}>
      <header className="set-head">
        <h3>{group.group}</h3>
        <IdentityBadge state={group.identity.state} fingerprint={group.identity.fingerprint} />
      </header>
      <p>A client is handed: {group.active.length ? group.members.filter((m) => m.active).map((m) => m.hostName).join(', ') : 'nobody (no active member)'}</p>
      <table className="members">
        <tbody>
          {group.members.map((m) => (
            <tr key={m.hostId} data-member={m.hostName}>
              <td>{m.hostName}</td>
              <td className={m.active ? 'tone-ok' : m.healthy ? 'tone-attention' : 'tone-down'}>{m.active ? '● active' : m.healthy ? '≠ out of step' : '✖ offline'}</td>
              <td>
                {m.files} files · {bytesText(m.bytes)}
              </td>
              <td>
                <code>{m.fingerprint ?? '—'}</code>
              </td>
              <td>{m.diskUsedPct === null ? '—' : `${m.diskUsedPct.toFixed(0)} %`}</td>
              <td>{m.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
