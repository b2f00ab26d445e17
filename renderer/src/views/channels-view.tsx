/**
 * The desk's Channels tab: every transcoder host with its channels live (state by colour, icon and word; bitrate,
 * fps, restarts, uptime, last error), and for the selected channel its details, actions and config history — diff
 * any two versions, restore one to the host, edit the config with errors shown per field, start, stop, remove.
 * Everything that changes what is on air asks first and says exactly what will happen.
 */
import { useEffect, useState } from 'react';
import type { ChannelStatus, HostView, SideBySideDiff, SnapshotEntry } from '../../../main/core/api';
import { ChannelStateBadge, fpsText, hostIsLive, kbpsText, shortHash, uptimeText } from '../components/channel-badges';
import { ChannelEditor } from '../components/channel-editor';
import { newChannelText } from '../components/channel-form-model';
import { ChannelHistory, versionTime } from '../components/channel-history';
import { useNow } from '../components/clock';
import { ConfigDiff } from '../components/config-diff';
import { ConfirmDialog } from '../components/confirm-dialog';
import { durationText } from '../components/duration';
import { StateBadge } from '../components/state-badge';
import '../channels.css';
import { channelKey } from '../state/channels-slice';
import type { ConsoleStore, Snapshot } from '../state/console-store';

type Selected = { hostId: string; channel: string };
type Pane =
  | { kind: 'list' }
  | { kind: 'diff'; left: SnapshotEntry; right: SnapshotEntry; diff: SideBySideDiff }
  | { kind: 'edit'; hostId: string; channel: string | null; text: string; ifHash: string | null | undefined; baseLabel: string };
type Confirm =
  | { kind: 'restore'; entry: SnapshotEntry }
  | { kind: 'stop' }
  | { kind: 'remove' };

/** `hostId/channel` from the route, as go('channels', …) wrote it. */
export function selectedOf(id: string | null): Selected | null {
  const slash = id?.indexOf('/') ?? -1;
  return id && slash > 0 ? { hostId: id.slice(0, slash), channel: id.slice(slash + 1) } : null;
}

export function transcoderHosts(snap: Snapshot): HostView[] {
  return snap.hosts.filter((h) => h.kind === 'transcoder' || h.agentRoles.includes('transcoder') || snap.channels.byHost.has(h.id));
}

export function ChannelsView({ store, snap, selectedId, select }: { store: ConsoleStore; snap: Snapshot; selectedId: string | null; select(id: string | null): void }) {
  const operator = snap.session?.access === 'operator';
  const selected = selectedOf(selectedId);
  const [pane, setPane] = useState<Pane>({ kind: 'list' });
  const [error, setError] = useState<string | null>(null);
  const hosts = transcoderHosts(snap);
  const selectedHost = selected ? snap.hosts.find((h) => h.id === selected.hostId) : undefined;
  const selectedStatus = selected ? snap.channels.byHost.get(selected.hostId)?.channels.find((c) => c.name === selected.channel) : undefined;

  useEffect(() => setPane({ kind: 'list' }), [selectedId]);

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    }
  }

  async function openEditor(hostId: string, status: ChannelStatus | undefined, history: readonly SnapshotEntry[]) {
    await run(async () => {
      if (!status) {
        setPane({ kind: 'edit', hostId, channel: null, text: newChannelText(''), ifHash: null, baseLabel: 'a new channel from a test-source template' });
        return;
      }
      // The version on the host now, so the save can say "only if it is still this one"; an unreadable file is
      // edited from its last valid version and replaced whatever it holds.
      const base = status.configHash ?? history.findLast((e) => e.valid)?.hash ?? null;
      if (!base) throw new Error(`no stored version of ${status.name} to start from yet`);
      const { text } = await store.transport.query('snapshot.get', { hash: base });
      const label = status.configHash ? `from the version on the host (${shortHash(base)})` : `from the last valid version (${shortHash(base)}); the file on the host cannot be read`;
      setPane({ kind: 'edit', hostId, channel: status.name, text, ifHash: status.configHash ?? undefined, baseLabel: label });
    });
  }

  const main =
    pane.kind === 'edit' ? (
      <ChannelEditor
        key={`${pane.hostId}/${pane.channel}`}
        hostName={snap.hosts.find((h) => h.id === pane.hostId)?.name ?? pane.hostId}
        channel={pane.channel}
        initialText={pane.text}
        baseLabel={pane.baseLabel}
        onCancel={() => setPane({ kind: 'list' })}
        onSave={async (channel, text) => {
          await store.transport.command('channel.save', { hostId: pane.hostId, channel, text, ...(pane.ifHash === undefined ? {} : { ifHash: pane.ifHash }) });
          setPane({ kind: 'list' });
          select(`${pane.hostId}/${channel}`);
        }}
      />
    ) : pane.kind === 'diff' ? (
      <section className="diff-pane" aria-label="diff of two versions">
        <div className="section-head">
          <h2>
            {selected ? `${selectedHost?.name ?? selected.hostId}/${selected.channel}: ` : ''}
            {shortHash(pane.left.hash)} ↔ {shortHash(pane.right.hash)}
          </h2>
          <button onClick={() => setPane({ kind: 'list' })}>← Back to channels</button>
        </div>
        <ConfigDiff diff={pane.diff} leftTitle={versionLabel(pane.left)} rightTitle={versionLabel(pane.right)} />
      </section>
    ) : (
      <section className="channel-hosts" aria-label="channels per host">
        {hosts.length === 0 && <p className="empty">No transcoder hosts yet. A host shows here when its kind is “transcoder” or its agent runs the transcoder role.</p>}
        {hosts.map((h) => (
          <HostChannelsTable
            key={h.id}
            host={h}
            channels={snap.channels.byHost.get(h.id)?.channels ?? []}
            selected={selected}
            operator={operator}
            onSelect={(channel) => select(`${h.id}/${channel}`)}
            onNew={() => void openEditor(h.id, undefined, [])}
          />
        ))}
      </section>
    );

  return (
    <main className="channels-main">
      <div className="channels-body">
        {error && (
          <div className="banner banner-error" role="alert">
            {error} <button onClick={() => setError(null)}>dismiss</button>
          </div>
        )}
        {main}
      </div>
      <aside className="detail channel-detail-pane" aria-label="channel detail">
        {selected && selectedHost ? (
          <ChannelDetail
            key={selectedId}
            store={store}
            snap={snap}
            host={selectedHost}
            channel={selected.channel}
            status={selectedStatus}
            operator={operator}
            run={run}
            onEdit={(history) => void openEditor(selectedHost.id, selectedStatus, history)}
            onDiff={(diff) => setPane(diff)}
          />
        ) : (
          <p className="empty">Select a channel to see its details and config history.</p>
        )}
      </aside>
    </main>
  );
}

function versionLabel(e: SnapshotEntry): string {
  const from = e.source === 'console' ? `console${e.operator ? ` · ${e.operator}` : ''}` : 'host';
  return `${shortHash(e.hash)} · ${versionTime(e.at)} · ${from}${e.valid ? '' : ' · invalid'}`;
}

function HostChannelsTable(props: { host: HostView; channels: readonly ChannelStatus[]; selected: Selected | null; operator: boolean; onSelect(channel: string): void; onNew(): void }) {
  const { host, channels } = props;
  const live = hostIsLive(host);
  return (
    <section className="host-channels" data-host={host.name} aria-label={`channels of ${host.name}`}>
      <div className="section-head">
        <h2 className="host-channels-title">
          {host.name} <StateBadge host={host} /> <span className="muted">{host.role} · {channels.length} channel{channels.length === 1 ? '' : 's'}</span>
        </h2>
        {props.operator && live && (
          <button className="small" onClick={props.onNew}>
            + New channel
          </button>
        )}
      </div>
      {!live && channels.length > 0 && <p className="stale-note">⚠ {host.name} is not reporting ({host.link}, {host.health}): the channels below are its last report, not what is on air now.</p>}
      {channels.length === 0 ? (
        <p className="empty">{host.role === 'reserve' ? 'No channels: a reserve waits empty until a failover moves channels here.' : 'No channels reported.'}</p>
      ) : (
        <table className="channels-table">
          <thead>
            <tr>
              <th>State</th>
              <th>Channel</th>
              <th>Bitrate</th>
              <th>FPS</th>
              <th>Restarts</th>
              <th>Uptime</th>
              <th>Last error</th>
              <th>Config</th>
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr
                key={c.name}
                data-channel={c.name}
                className={props.selected?.hostId === host.id && props.selected.channel === c.name ? 'selected' : ''}
                onClick={() => props.onSelect(c.name)}
              >
                <td>
                  <ChannelStateBadge status={c} hostLive={live} />
                </td>
                <td className="channel-name">
                  <a href={`#/channels/${encodeURIComponent(`${host.id}/${c.name}`)}`} onClick={(e) => e.stopPropagation()}>
                    {c.name}
                  </a>
                </td>
                <td className="num" data-col="bitrate">{kbpsText(c.bitrateKbps)}</td>
                <td className="num" data-col="fps">{fpsText(c.fps)}</td>
                <td className={c.restarts > 0 ? 'num restarts-some' : 'num'} data-col="restarts">{c.restarts}</td>
                <td className="num" data-col="uptime">{uptimeText(c)}</td>
                <td className="last-error" title={c.lastErrorLine ?? undefined}>
                  {c.state === 'config-error' ? c.reason : (c.lastErrorLine ?? '—')}
                </td>
                <td>
                  <code title={c.configHash ?? 'unreadable'}>{shortHash(c.configHash)}</code>
                  {c.runningHash && c.configHash && c.runningHash !== c.configHash && <div className="muted">running {shortHash(c.runningHash)}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ChannelDetail(props: {
  store: ConsoleStore;
  snap: Snapshot;
  host: HostView;
  channel: string;
  status: ChannelStatus | undefined;
  operator: boolean;
  run(action: () => Promise<unknown>): Promise<boolean>;
  onEdit(history: readonly SnapshotEntry[]): void;
  onDiff(pane: Extract<Pane, { kind: 'diff' }>): void;
}) {
  const { store, host, channel, status } = props;
  const now = useNow();
  const live = hostIsLive(host);
  const version = props.snap.channels.versions.get(channelKey(host.id, channel)) ?? 0;
  const [history, setHistory] = useState<{ entries: SnapshotEntry[]; prunedEntries: number } | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const where = `${host.name}/${channel}`;

  useEffect(() => {
    let current = true;
    store.transport
      .query('channel.history', { hostId: host.id, channel })
      .then((h) => current && (setHistory(h), setHistoryError(null)))
      .catch((err: Error) => current && setHistoryError(err.message));
    return () => {
      current = false;
    };
  }, [store, host.id, channel, version]);

  function toggle(hash: string) {
    setTicked((t) => (t.includes(hash) ? t.filter((h) => h !== hash) : [...t, hash].slice(-2)));
  }

  async function showDiff() {
    if (!history || ticked.length !== 2) return;
    // Older on the left, whichever order they were ticked in.
    const [left, right] = ticked.map((hash) => history.entries.findLast((e) => e.hash === hash)!).sort((a, b) => a.at - b.at);
    await props.run(async () => props.onDiff({ kind: 'diff', left: left!, right: right!, diff: await store.transport.query('snapshot.diff', { left: left!.hash, right: right!.hash }) }));
  }

  const confirmDialog = confirm && (
    <ConfirmDialog
      title={confirm.kind === 'restore' ? `Restore version ${shortHash(confirm.entry.hash)} to ${where}?` : confirm.kind === 'stop' ? `Stop ${where}?` : `Remove ${where}?`}
      confirmLabel={confirm.kind === 'restore' ? `Restore ${shortHash(confirm.entry.hash)} to ${host.name}` : confirm.kind === 'stop' ? `Stop ${channel}` : `Remove ${channel} from ${host.name}`}
      danger={confirm.kind !== 'restore'}
      onCancel={() => setConfirm(null)}
      onConfirm={() => {
        const what = confirm;
        setConfirm(null);
        if (what.kind === 'restore') {
          void props.run(() => store.transport.command('channel.restore', { hostId: host.id, channel, hash: what.entry.hash, ...(status?.configHash ? { ifHash: status.configHash } : {}) }));
        } else if (what.kind === 'stop') {
          void props.run(() => store.transport.command('channel.stop', { hostId: host.id, channel }));
        } else {
          void props.run(() => store.transport.command('channel.remove', { hostId: host.id, channel }));
        }
      }}
    >
      {confirm.kind === 'restore' && (
        <p>
          Tally writes version <code>{shortHash(confirm.entry.hash)}</code> (of {versionTime(confirm.entry.at)}, {confirm.entry.source === 'console' ? `pushed from the console${confirm.entry.operator ? ` by ${confirm.entry.operator}` : ''}` : 'found on the host'}) to{' '}
          <strong>{channel}.json</strong> on host <strong>{host.name}</strong>, replacing
          the version there now ({shortHash(status?.configHash ?? null)}). The agent restarts ffmpeg for <strong>{channel}</strong> with it: its output pauses for a few seconds. The current
          version stays in the history. If the file changed on the host meanwhile, nothing is written.
        </p>
      )}
      {confirm.kind === 'stop' && (
        <p>
          ffmpeg for <strong>{channel}</strong> on <strong>{host.name}</strong> stops: the channel goes <strong>off the air</strong> until someone starts it again. It stays stopped
          across agent restarts. Its config file is not touched.
        </p>
      )}
      {confirm.kind === 'remove' && (
        <p>
          ffmpeg for <strong>{channel}</strong> on <strong>{host.name}</strong> stops (the channel goes <strong>off the air</strong>) and its file <strong>{channel}.json</strong> is
          deleted from the host’s channels folder. Its config history stays in Tally, so any version can be put back later with “+ New channel” or a restore.
        </p>
      )}
    </ConfirmDialog>
  );

  return (
    <div className="channel-detail" data-channel={channel}>
      <div className="detail-head">
        <h2>{where}</h2>
        {status && <ChannelStateBadge status={status} hostLive={live} />}
      </div>
      {!status && <p className="empty">{host.name} does not report {channel} (removed, or not reporting). Its config history is below.</p>}
      {status && (
        <dl>
          {status.reason && (
            <>
              <dt>Why</dt>
              <dd>{status.reason}</dd>
            </>
          )}
          <dt>Process</dt>
          <dd>{status.pid ? `ffmpeg pid ${status.pid}, up ${uptimeText(status)}` : 'not running'}</dd>
          <dt>Output</dt>
          <dd>
            {kbpsText(status.bitrateKbps)} · {fpsText(status.fps)} fps{status.speed !== null ? ` · ${status.speed.toFixed(2)}×` : ''}
            {status.lastOutputAt !== null && <div className="muted">last output {durationText(now - status.lastOutputAt)} ago</div>}
            {status.lastSegmentAt !== null && <div className="muted">{status.segmentsCompleted} HLS segments, last {durationText(now - status.lastSegmentAt)} ago</div>}
          </dd>
          <dt>Restarts</dt>
          <dd>
            {status.restarts}
            {status.lastExit && <span className="muted"> · last exit {status.lastExit.signal ?? `code ${status.lastExit.code}`} {durationText(now - status.lastExit.at)} ago</span>}
            {status.nextStartAt !== null && <div className="muted">next start in {durationText(Math.max(0, status.nextStartAt - now))}</div>}
          </dd>
          <dt>Last error</dt>
          <dd className="last-error-line">{status.lastErrorLine ?? '—'}</dd>
          <dt>Config</dt>
          <dd>
            <code>{shortHash(status.configHash)}</code> on disk
            {status.runningHash && status.runningHash !== status.configHash && (
              <>
                , <code>{shortHash(status.runningHash)}</code> running
              </>
            )}
            {status.epoch !== null && <span className="muted"> · epoch {status.epoch}</span>}
          </dd>
        </dl>
      )}
      {props.operator && (
        <div className="detail-actions">
          {status && live && (
            <button onClick={() => props.onEdit(history?.entries ?? [])} disabled={!status.configHash && !history?.entries.some((e) => e.valid)}>
              Edit config
            </button>
          )}
          {/* A stopped channel whose file then broke reports config-error with no process: it can still be started
              on its last good version. */}
          {status && live && status.pid === null && status.state !== 'backoff' && (
            <button className="primary" onClick={() => void props.run(() => store.transport.command('channel.start', { hostId: host.id, channel }))}>
              ▶ Start
            </button>
          )}
          {status && live && status.state !== 'stopped' && <button onClick={() => setConfirm({ kind: 'stop' })}>■ Stop…</button>}
          {status && live && (
            <button className="danger" onClick={() => setConfirm({ kind: 'remove' })}>
              Remove…
            </button>
          )}
        </div>
      )}
      {historyError && <p className="form-error">{historyError}</p>}
      {history && (
        <ChannelHistory
          entries={history.entries}
          prunedEntries={history.prunedEntries}
          currentHash={status?.configHash ?? null}
          selected={ticked}
          onToggle={toggle}
          onDiff={() => void showDiff()}
          onRestore={props.operator && live ? (entry) => setConfirm({ kind: 'restore', entry }) : undefined}
        />
      )}
      {confirmDialog}
    </div>
  );
}
