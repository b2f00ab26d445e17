/**
 * A channel's config history, newest first: when, hash, where it came from (pushed by the console, and by whom, or
 * found on the host), and whether it is a valid config. Two versions can be ticked for a diff; a valid version that
 * is not the one on the host can be restored (the caller asks for confirmation).
 */
import type { SnapshotEntry } from '../../../main/core/api';
import { localTimeText } from './duration';
import { shortHash } from './channel-badges';

export interface ChannelHistoryProps {
  entries: readonly SnapshotEntry[];
  prunedEntries: number;
  /** The hash of the file on the host now (null: unreadable or unknown). */
  currentHash: string | null;
  selected: readonly string[];
  onToggle(hash: string): void;
  onDiff(): void;
  /** Absent for viewers: they cannot restore. */
  onRestore?(entry: SnapshotEntry): void;
}

export function versionTime(at: number): string {
  return `${localTimeText(at)}:${String(new Date(at).getSeconds()).padStart(2, '0')}`;
}

/** Where a version came from, in words: the oldest one is the console's first sight of the channel, not an edit. */
export function sourceText(e: SnapshotEntry, first: boolean): string {
  if (e.source === 'console') return `⇧ console${e.operator ? ` · ${e.operator}` : ''}`;
  return first ? '● host · first seen' : '⚠ host · out of band';
}

export function ChannelHistory(props: ChannelHistoryProps) {
  const rows = [...props.entries].reverse();
  const oldest = props.prunedEntries === 0 ? props.entries[0] : undefined;
  return (
    <section className="channel-history" aria-label="config history">
      <div className="section-head">
        <h3>Config history ({props.entries.length} version{props.entries.length === 1 ? '' : 's'})</h3>
        <button className="small" disabled={props.selected.length !== 2} onClick={props.onDiff} title="Tick two versions to compare them">
          Diff {props.selected.length}/2 selected
        </button>
      </div>
      {rows.length === 0 ? (
        <p className="empty">No version stored yet: the first one is taken when the host reports the channel.</p>
      ) : (
        <table className="history-table">
          <thead>
            <tr>
              <th aria-label="compare" />
              <th>Time</th>
              <th>Version</th>
              <th>Source</th>
              <th>Valid</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((e, i) => {
              const current = e.hash === props.currentHash && i === rows.findIndex((r) => r.hash === props.currentHash);
              const ticked = props.selected.includes(e.hash);
              return (
                <tr key={`${e.at}-${e.hash}`} className={current ? 'current' : ''} data-hash={e.hash} data-source={e.source}>
                  <td>
                    <input type="checkbox" checked={ticked} onChange={() => props.onToggle(e.hash)} aria-label={`compare version ${shortHash(e.hash)} of ${versionTime(e.at)}`} />
                  </td>
                  <td className="history-time">
                    {versionTime(e.at).slice(11)}
                    <div className="muted">{versionTime(e.at).slice(0, 10)}</div>
                  </td>
                  <td>
                    <code title={e.hash}>{shortHash(e.hash)}</code>
                    {current && (
                      <div>
                        <span className="current-chip">on host</span>
                      </div>
                    )}
                    {e.note && <div className="muted">{e.note}</div>}
                  </td>
                  <td data-col="source">{sourceText(e, e === oldest)}</td>
                  <td className={e.valid ? 'valid-yes' : 'valid-no'} title={e.problem ?? undefined}>
                    {e.valid ? '✔ valid' : '✖ invalid'}
                  </td>
                  <td>
                    {props.onRestore && e.valid && !current && (
                      <button className="small" onClick={() => props.onRestore!(e)}>
                        Restore…
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {props.prunedEntries > 0 && <p className="muted">{props.prunedEntries} older versions were pruned from this list (their files are kept).</p>}
    </section>
  );
}
