/**
 * The console side of the transcoder role: live channel tables from heartbeats, the config snapshot store kept in
 * step with every host (out-of-band edits journalled as such), and the operator's channel actions.
 */
import {
  ChannelCommandResponse,
  type ChannelStatus,
  parseChannelConfigBytes,
  RemoveChannelResponse,
  type TranscoderStatus,
  transcoderPaths,
} from '../../../agents/protocol/transcoder';
import { ApiError } from '../dispatch';
import type { EngineContext, EngineModule } from '../engine-context';
import type { HostRuntime } from '../fleet/fleet-monitor';
import type { Finding } from '../findings/finding';
import type { FindingsModule } from '../findings/findings-module';
import type { SnapshotEntry } from '../snapshots/snapshot-schemas';
import { CorruptBlobError, CorruptHistoryError, SnapshotNotFoundError, SnapshotStore } from '../snapshots/snapshot-store';
import { SnapshotSync, type SnapshotSyncEvent } from '../snapshots/snapshot-sync';
import { agentFailure } from './agent-failure';
import { channelFindings } from './channel-findings';
import type { ChannelView } from './transcoders-contract';

type Queries = 'channels.list' | 'channel.history' | 'snapshot.get' | 'snapshot.diff';
type Commands = 'channel.restore' | 'channel.save' | 'channel.start' | 'channel.stop' | 'channel.remove';

/** Live figures (bitrate, fps, uptime) go to the UIs at most this often per host; state changes go at once. */
export const FIGURES_EVERY_MS = 1000;
/**
 * ... and no more than this many host tables of figures a second in all: a thousand transcoders refresh their figures
 * every 5 s rather than every second (20,000 channel statuses a second to every desk is ~10 MB/s nobody reads).
 */
export const FIGURE_TABLES_PER_SECOND = 200;
export const FIGURES_EVERY_MS_MAX = 5000;
export function figuresEveryMs(hostsWithChannels: number): number {
  return Math.min(FIGURES_EVERY_MS_MAX, Math.max(FIGURES_EVERY_MS, (hostsWithChannels / FIGURE_TABLES_PER_SECOND) * 1000));
}
/** Hosts removed from the inventory are forgotten (their tables and findings) on this beat. */
const PRUNE_EVERY_MS = 2000;
/** Start and stop wait for ffmpeg to end on the agent (SIGTERM, then SIGKILL after its stopTimeoutMs). */
const COMMAND_TIMEOUT_MS = 15_000;

export interface TranscodersModule extends EngineModule<Queries, Commands> {
  /** Channels each host reported in its latest heartbeat. */
  channels(hostId: string): ChannelStatus[];
  /** Resolves when the snapshot store is open (and rejects with an ApiError if it cannot be). */
  ready(): Promise<{ store: SnapshotStore; sync: SnapshotSync }>;
}

const keyOf = (hostId: string, channel: string) => `${hostId}\u0000${channel}`;

/** A channel's fields that are not live figures: a change in any of them goes to the desks at once. */
const KEY_FIELDS = ['name', 'state', 'configHash', 'runningHash', 'pid', 'restarts', 'reason'] as const;

/** The KEY_FIELDS of every channel, flat (a copy: the channel objects are updated in place as deltas arrive). */
function keysOf(channels: readonly ChannelStatus[]): unknown[] {
  const keys: unknown[] = [];
  for (const c of channels) for (const f of KEY_FIELDS) keys.push(c[f]);
  return keys;
}

/** Compared in place, without building anything: it runs on every heartbeat of every transcoder. */
function sameKeys(keys: readonly unknown[], channels: readonly ChannelStatus[]): boolean {
  if (keys.length !== channels.length * KEY_FIELDS.length) return false;
  let i = 0;
  for (const c of channels) for (const f of KEY_FIELDS) if (keys[i++] !== c[f]) return false;
  return true;
}
const short = (hash: string) => hash.slice(0, 12);

export function createTranscodersModule(ctx: EngineContext, opts: { findings?: Pick<FindingsModule, 'publish'> } = {}): TranscodersModule {
  const tables = new Map<string, ChannelStatus[]>();
  const findingsByHost = new Map<string, Finding[]>();
  const lastEmit = new Map<string, { at: number; keys: unknown[] }>();
  /**
   * Per host, each channel's state at its last heartbeat. Kept apart from the channel objects, which the agent link
   * updates in place as deltas arrive (heartbeat-merge.ts), so an older status cannot be read back from them.
   */
  const lastStates = new Map<string, Map<string, ChannelStatus['state']>>();
  /** Channels that appeared on a host after the console already knew its table: their first version is out of band. */
  const appearedOnHost = new Set<string>();
  const offs: (() => void)[] = [];
  let pruneTimer: { cancel(): void } | null = null;
  let opened: { store: SnapshotStore; sync: SnapshotSync } | null = null;
  const beforeOpen = new Map<string, TranscoderStatus>();
  let openError: Error | null = null;

  const opening = SnapshotStore.open(ctx.dataDir).then(({ store, problems }) => {
    for (const p of problems) ctx.journal.append({ kind: 'snapshot.problem', severity: 'major', hostId: hostIdIfKnown(p.hostId), message: `config snapshot store: ${p.message}`, data: { file: p.file } });
    opened = { store, sync: new SnapshotSync({ store, request: requestAgent, now: () => ctx.clock.now(), report }) };
    // Heartbeats that came while the store was opening: their hashes are synced now, not one heartbeat later.
    for (const [hostId, status] of beforeOpen) if (ctx.fleet.runtime(hostId)) opened.sync.observe(hostId, status);
    beforeOpen.clear();
    return opened;
  });
  // Reported once here; every later use of the store answers "unavailable" with this reason.
  opening.catch((err: Error) => {
    openError = err;
    ctx.log('error', 'the config snapshot store cannot be opened', { error: err.message });
    ctx.journal.append({ kind: 'snapshot.problem', severity: 'critical', message: `the config snapshot store cannot be opened: ${err.message}; no config versions are kept until it is fixed` });
  });

  function hostIdIfKnown(hostId: string | null): string | null {
    return hostId !== null && ctx.inventory.get(hostId) ? hostId : null;
  }

  function runtime(hostId: string): HostRuntime {
    const rt = ctx.fleet.runtime(hostId);
    if (!rt) throw new ApiError('not-found', `no host with id ${hostId}`);
    return rt;
  }

  function hostName(hostId: string): string {
    return ctx.fleet.runtime(hostId)?.host.name ?? hostId;
  }

  async function requestAgent(hostId: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, timeoutMs?: number): Promise<unknown> {
    const rt = runtime(hostId);
    if (!rt.link || rt.linkState !== 'connected') throw new ApiError('unavailable', `${rt.host.name} is not connected (${rt.linkState}${rt.linkError ? `: ${rt.linkError}` : ''})`);
    return rt.link.request(method, path, body, timeoutMs);
  }

  function report(event: SnapshotSyncEvent): void {
    const where = `${hostName(event.hostId)}/${event.channel}`;
    switch (event.type) {
      case 'host-change': {
        ctx.emit({ type: 'snapshot.recorded', payload: { hostId: event.hostId, channel: event.channel, entry: event.entry } });
        const key = keyOf(event.hostId, event.channel);
        const invalid = event.entry.valid ? '' : ` — not a valid config: ${event.entry.problem ?? 'unreadable'}`;
        const data = { channel: event.channel, hash: event.entry.hash, previousHash: event.previous?.hash ?? null, valid: event.entry.valid };
        if (event.previous === null && !appearedOnHost.delete(key)) {
          ctx.journal.append({ kind: 'config.first-seen', hostId: event.hostId, message: `first snapshot of ${where} (${short(event.entry.hash)})${invalid}`, data });
          return;
        }
        const change = event.previous ? `${short(event.previous.hash)} → ${short(event.entry.hash)}` : `new channel, ${short(event.entry.hash)}`;
        ctx.journal.append({ kind: 'config.out-of-band', severity: 'warning', hostId: event.hostId, message: `out-of-band change on ${where}: ${change}${invalid}`, data });
        return;
      }
      case 'fetch-failed':
        ctx.journal.append({ kind: 'snapshot.fetch-failed', severity: 'warning', hostId: event.hostId, message: `could not fetch ${where} (${short(event.hash)}) for its snapshot: ${event.error}` });
        return;
      case 'history-corrupt':
        ctx.journal.append({ kind: 'snapshot.problem', severity: 'major', hostId: event.hostId, message: `the snapshot history of ${where} is unreadable; nothing is added to it until it is repaired` });
    }
  }

  function onChannels(rt: HostRuntime, channels: ChannelStatus[]): void {
    const hostId = rt.host.id;
    const known = lastStates.get(hostId);
    const states = known ?? new Map<string, ChannelStatus['state']>();
    if (!known) lastStates.set(hostId, states);
    tables.set(hostId, channels);
    for (const c of channels) {
      const prior = states.get(c.name);
      if (known && prior === undefined) appearedOnHost.add(keyOf(hostId, c.name));
      if (c.state === 'config-error' && prior !== 'config-error') {
        // The agent's reason already says whether the last good version is still on air.
        ctx.journal.append({ kind: 'channel.config-error', severity: 'major', hostId, message: `${rt.host.name}/${c.name}: config error — ${c.reason ?? 'the file cannot be read'}`, data: { channel: c.name, hash: c.configHash } });
      }
      if (prior !== c.state) states.set(c.name, c.state);
    }
    // More names known than reported: some channels went away (names are unique on a host).
    if (states.size > channels.length) {
      for (const name of [...states.keys()]) {
        if (channels.some((c) => c.name === name)) continue;
        states.delete(name);
        appearedOnHost.delete(keyOf(hostId, name));
      }
    }
    setFindings(hostId, channelFindings(hostId, rt.host.name, channels));
    emitChannels(rt, channels);
  }

  function emitChannels(rt: HostRuntime, channels: ChannelStatus[]): void {
    const now = ctx.clock.now();
    const last = lastEmit.get(rt.host.id);
    if (last && sameKeys(last.keys, channels) && now - last.at < figuresEveryMs(tables.size)) return;
    lastEmit.set(rt.host.id, { at: now, keys: keysOf(channels) });
    ctx.emit({ type: 'channels.changed', payload: { hostId: rt.host.id, hostName: rt.host.name, channels } });
  }

  /** Per host, so a heartbeat costs the size of its own table; the board hears only when something changed. */
  function setFindings(hostId: string, findings: Finding[]): void {
    const before = findingsByHost.get(hostId) ?? [];
    if (findings.length === 0 && before.length === 0) return;
    const same = before.length === findings.length && before.every((f, i) => f.key === findings[i]!.key && f.summary === findings[i]!.summary);
    if (same) return;
    if (findings.length) findingsByHost.set(hostId, findings);
    else findingsByHost.delete(hostId);
    opts.findings?.publish('channels', [...findingsByHost.values()].flat());
  }

  function pruneRemovedHosts(): void {
    for (const hostId of [...tables.keys()]) {
      if (ctx.fleet.runtime(hostId)) continue;
      tables.delete(hostId);
      lastEmit.delete(hostId);
      lastStates.delete(hostId);
      for (const key of appearedOnHost) if (key.startsWith(`${hostId}\u0000`)) appearedOnHost.delete(key);
      setFindings(hostId, []);
    }
  }

  async function ready(): Promise<{ store: SnapshotStore; sync: SnapshotSync }> {
    if (opened) return opened;
    try {
      return await opening;
    } catch {
      throw new ApiError('unavailable', `the config snapshot store is unavailable: ${openError?.message ?? 'it could not be opened'}`);
    }
  }

  /** Store errors the operator can act on, in words; anything else stays an internal error. */
  function storeFailure(err: unknown): unknown {
    if (err instanceof SnapshotNotFoundError) return new ApiError('not-found', err.message);
    if (err instanceof CorruptBlobError || err instanceof CorruptHistoryError) return new ApiError('unavailable', err.message);
    return err;
  }

  async function channelCommand(hostId: string, channel: string, action: 'start' | 'stop', operator: string | null): Promise<ChannelStatus> {
    const where = `${hostName(hostId)}/${channel}`;
    let status: ChannelStatus;
    try {
      ({ channel: status } = ChannelCommandResponse.parse(await requestAgent(hostId, 'POST', transcoderPaths[action](channel), undefined, COMMAND_TIMEOUT_MS)));
    } catch (err) {
      throw agentFailure(err, where);
    }
    const did = action === 'start' ? 'started' : 'stopped';
    const severity = action === 'stop' ? 'warning' : 'info';
    ctx.journal.append({ kind: `channel.${action}`, severity, hostId, operator, message: `${operator ?? 'an operator'} ${did} ${where}`, data: { channel, state: status.state } });
    return status;
  }

  function recorded(hostId: string, channel: string, result: { entry: SnapshotEntry; added: boolean }, operator: string | null, what: string): SnapshotEntry {
    const { entry, added } = result;
    appearedOnHost.delete(keyOf(hostId, channel));
    if (added) ctx.emit({ type: 'snapshot.recorded', payload: { hostId, channel, entry } });
    const unchanged = added ? '' : ' (the same bytes as its latest version: nothing changed)';
    ctx.journal.append({
      kind: 'config.pushed',
      hostId,
      operator,
      message: `${operator ?? 'an operator'} ${what} ${hostName(hostId)}/${channel} (${short(entry.hash)})${unchanged}`,
      data: { channel, hash: entry.hash, added },
    });
    return entry;
  }

  /** Checked as the agent will check it, so the operator reads which field is wrong before anything is sent. */
  function refuseInvalid(hostId: string, channel: string, bytes: Uint8Array, what: string): void {
    const parsed = parseChannelConfigBytes(bytes, channel);
    if (parsed.ok) return;
    const perField = parsed.issues.filter((i) => i.path !== '(root)');
    const why = perField.length ? perField.map((i) => `${i.path}: ${i.message}`).join('; ') : parsed.reason;
    throw new ApiError('bad-input', `${hostName(hostId)}/${channel}: ${what}: ${why}`);
  }

  return {
    channels: (hostId) => tables.get(hostId) ?? [],
    ready,
    queries: {
      'channels.list': async ({ hostId }) => {
        const out: ChannelView[] = [];
        for (const [id, channels] of tables) {
          if ((hostId && id !== hostId) || !ctx.fleet.runtime(id)) continue;
          for (const status of channels) out.push({ hostId: id, hostName: hostName(id), status });
        }
        return out;
      },
      'channel.history': async ({ hostId, channel }) => {
        const { store } = await ready();
        return store.history(hostId, channel).catch((err) => Promise.reject(storeFailure(err)));
      },
      'snapshot.get': async ({ hash }) => {
        const { store } = await ready();
        if (!store.has(hash)) throw new ApiError('not-found', `no stored config version ${hash}`);
        const bytes = await store.get(hash).catch((err) => Promise.reject(storeFailure(err)));
        return { hash, text: bytes.toString('utf8'), bytes: bytes.length };
      },
      'snapshot.diff': async ({ left, right }) => {
        const { store } = await ready();
        for (const h of [left, right]) if (!store.has(h)) throw new ApiError('not-found', `no stored config version ${h}`);
        return store.diff(left, right).catch((err) => Promise.reject(storeFailure(err)));
      },
    },
    commands: {
      'channel.restore': async ({ hostId, channel, hash, ifHash }, call) => {
        const { sync, store } = await ready();
        runtime(hostId);
        if (!store.has(hash)) throw new ApiError('not-found', `no stored config version ${hash}`);
        const bytes = await store.get(hash).catch((err) => Promise.reject(storeFailure(err)));
        refuseInvalid(hostId, channel, bytes, `version ${short(hash)} cannot be restored`);
        try {
          const result = await sync.restore(hostId, channel, hash, call.operator, ifHash);
          return recorded(hostId, channel, result, call.operator, `restored version ${short(hash)} to`);
        } catch (err) {
          throw agentFailure(storeFailure(err), `${hostName(hostId)}/${channel}`);
        }
      },
      'channel.save': async ({ hostId, channel, text, ifHash }, call) => {
        const { sync } = await ready();
        runtime(hostId);
        const bytes = Buffer.from(text, 'utf8');
        refuseInvalid(hostId, channel, bytes, 'not saved, the config is invalid');
        try {
          const result = await sync.push(hostId, channel, bytes, call.operator, ifHash === undefined ? {} : { ifHash });
          return recorded(hostId, channel, result, call.operator, ifHash === null ? 'created' : 'saved an edited config of');
        } catch (err) {
          const failure = agentFailure(err, `${hostName(hostId)}/${channel}`);
          if (failure.code === 'conflict' && ifHash !== undefined) {
            throw new ApiError('conflict', `${failure.message} — nothing was written; reload the channel's config and edit again`);
          }
          throw failure;
        }
      },
      'channel.start': async ({ hostId, channel }, call) => channelCommand(hostId, channel, 'start', call.operator),
      'channel.stop': async ({ hostId, channel }, call) => channelCommand(hostId, channel, 'stop', call.operator),
      'channel.remove': async ({ hostId, channel }, call) => {
        const where = `${hostName(hostId)}/${channel}`;
        try {
          RemoveChannelResponse.parse(await requestAgent(hostId, 'DELETE', transcoderPaths.channel(channel), undefined, COMMAND_TIMEOUT_MS));
        } catch (err) {
          throw agentFailure(err, where);
        }
        ctx.journal.append({ kind: 'channel.removed', severity: 'warning', hostId, operator: call.operator, message: `${call.operator ?? 'an operator'} removed ${where}: ffmpeg stopped and the file deleted on the host (its snapshots are kept)`, data: { channel } });
        return { removed: channel };
      },
    },
    start() {
      offs.push(
        ctx.fleet.onMessage((rt, message) => {
          if (message.type !== 'heartbeat' || !message.status.transcoder) return;
          onChannels(rt, message.status.transcoder.channels);
          if (opened) opened.sync.observe(rt.host.id, message.status.transcoder);
          else if (!openError) beforeOpen.set(rt.host.id, message.status.transcoder);
        }),
      );
      pruneTimer = ctx.clock.setInterval(pruneRemovedHosts, PRUNE_EVERY_MS);
    },
    async stop() {
      pruneTimer?.cancel();
      for (const off of offs.splice(0)) off();
      const done = await opening.catch(() => null);
      await done?.sync.idle();
    },
  };
}
