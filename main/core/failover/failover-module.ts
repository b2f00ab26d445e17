/**
 * N+k failover (seed 001) made real: when a main transcoder is confirmed down its channels move to a reserve — each
 * channel's latest valid snapshot, epoch raised, pushed and started, verified running and producing a new segment —
 * every step journalled and timed. The reserve becomes main; the failed host is fenced when its agent returns: its
 * stale channels are stopped and removed before anything else, then it goes to maintenance. Operations are persisted
 * at every step, so a console killed mid-failover resumes them on restart without starting anything twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ChannelConfigResponse, type ChannelStatus, transcoderPaths } from '../../../agents/protocol/transcoder';
import type { CallContext } from '../api';
import { ApiError } from '../dispatch';
import type { EngineContext, EngineModule } from '../engine-context';
import type { HostRuntime } from '../fleet/fleet-monitor';
import type { TranscodersModule } from '../transcoders/transcoders-module';
import type { Cluster } from '../cluster/cluster-module';
import type { HostClaim } from '../cluster/cluster-contract';
import { sendDnsUpdate } from './dns-client';
import { DnsSettings, FailoverOperation, type FailoverPreview, type FailoverStep } from './failover-contract';
import { type Assignment, type FailedHost, planFailover, type ReserveCandidate } from './planner';
import { z } from 'zod';

type Queries = 'failover.preview' | 'failover.operations' | 'failover.dns.get';
type Commands = 'failover.run' | 'failover.moveBack' | 'host.setRole' | 'failover.dns.set';

const OPERATIONS_KEY = 'failover.operations';
const FENCES_KEY = 'failover.fences';
const DNS_KEY = 'failover.dns';
const KEEP_OPERATIONS = 200;
const VERIFY_TIMEOUT_MS = 30_000;
const START_NUDGE_AFTER_MS = 3000;
/** How long a fence waits for a heartbeat that shows the removed channels gone before it changes the host's role anyway. */
const FENCE_CONFIRM_MS = 5000;

const Fence = z.object({ operationId: z.string(), channels: z.record(z.string(), z.number()), since: z.number() });
const Fences = z.record(z.string(), Fence);
type Fence = z.infer<typeof Fence>;

export interface FailoverModule extends EngineModule<Queries, Commands> {
  operations(): FailoverOperation[];
  /** Resolves when no operation or fencing is running (tests, benchmarks). */
  idle(): Promise<void>;
}

export interface FailoverDeps {
  transcoders: TranscodersModule;
  /** Hosts behind a dead switch are not failed over on the console's word alone. */
  isUnreachable?: (hostId: string) => boolean;
  /**
   * Several desks: only the leading console automates, and every move is claimed in etcd first so no host is failed
   * over twice. Absent: this console is alone and leads.
   */
  cluster?: Pick<Cluster, 'mode' | 'selfId' | 'mayAutomate' | 'claim' | 'release' | 'onLeadershipGained' | 'onClaims'>;
}

export function createFailoverModule(ctx: EngineContext, deps: FailoverDeps): FailoverModule {
  const operations: FailoverOperation[] = loadList(OPERATIONS_KEY, FailoverOperation);
  const fences: Record<string, Fence> = loadRecord(FENCES_KEY, Fences);
  const work = new Set<Promise<unknown>>();
  const fencing = new Set<string>();

  function loadList<T>(key: string, schema: z.ZodType<T>): T[] {
    const parsed = z.array(schema).safeParse(ctx.store.get(key) ?? []);
    if (parsed.success) return parsed.data;
    ctx.journal.append({ kind: 'failover.store-invalid', severity: 'critical', message: `stored ${key} is unreadable and was left as it is; failover history starts empty` });
    return [];
  }
  function loadRecord<T extends Record<string, unknown>>(key: string, schema: z.ZodType<T>): T {
    const parsed = schema.safeParse(ctx.store.get(key) ?? {});
    if (parsed.success) return parsed.data;
    ctx.journal.append({ kind: 'failover.store-invalid', severity: 'critical', message: `stored ${key} is unreadable and was left as it is; fence records start empty — check returning hosts by hand` });
    return {} as T;
  }
  const persistOperations = () => ctx.store.set(OPERATIONS_KEY, operations.slice(-KEEP_OPERATIONS));
  const persistFences = () => ctx.store.set(FENCES_KEY, fences);

  function track<T>(promise: Promise<T>): Promise<T> {
    work.add(promise);
    void promise.finally(() => work.delete(promise)).catch(() => {});
    return promise;
  }

  function rtOf(hostId: string): HostRuntime {
    const rt = ctx.fleet.runtime(hostId);
    if (!rt) throw new ApiError('not-found', `no host with id ${hostId}`);
    return rt;
  }

  function step(op: FailoverOperation, what: string, channel: string | null = null, ok = true): void {
    const at = ctx.clock.now();
    op.steps.push({ at, offsetMs: at - op.startedAt, what, channel, ok } satisfies FailoverStep);
    persistOperations();
    ctx.emit({ type: 'failover.changed', payload: { operation: op } });
    ctx.journal.append({
      kind: 'failover.step',
      severity: ok ? 'info' : 'major',
      hostId: op.toHostId,
      operator: op.operator,
      message: `failover ${op.fromHostName} → ${op.toHostName}${channel ? ` [${channel}]` : ''}: ${what} (+${at - op.startedAt} ms)`,
      data: { actionId: op.id, channel, offsetMs: at - op.startedAt, outcome: ok ? 'ok' : 'failed' },
    });
  }

  /** The failed host as the planner sees it: its moving channels and their latest valid snapshots. */
  async function failedHostOf(rt: HostRuntime): Promise<FailedHost> {
    const { store } = await deps.transcoders.ready();
    const channels = deps.transcoders.channels(rt.host.id).filter((c) => c.state !== 'stopped');
    return {
      hostId: rt.host.id,
      name: rt.host.name,
      kind: rt.host.kind,
      switchId: null,
      channels: channels.map((c) => ({ name: c.name, snapshotHash: store.latestValid(rt.host.id, c.name)?.hash ?? null, epoch: c.epoch ?? 0 })),
    };
  }

  function reserveCandidates(kind: string, only?: string): ReserveCandidate[] {
    return ctx.fleet
      .all()
      .filter((rt) => (only ? rt.host.id === only : rt.host.role === 'reserve') && rt.host.kind === kind)
      .map((rt) => ({
        hostId: rt.host.id,
        name: rt.host.name,
        kind: rt.host.kind,
        switchId: null,
        online: rt.health.state === 'ok' && rt.linkState === 'connected',
        channelCount: deps.transcoders.channels(rt.host.id).length,
        capacityChannels: null,
      }));
  }

  const booked = () => new Set(operations.filter((o) => o.state === 'running').map((o) => o.toHostId));

  async function plan(rt: HostRuntime, target?: string): Promise<{ assignment: Assignment | null; reason: string | null; failed: FailedHost }> {
    const failed = await failedHostOf(rt);
    if (failed.channels.length === 0) return { assignment: null, reason: `${rt.host.name} runs no channels: nothing to move`, failed };
    const result = planFailover([failed], reserveCandidates(rt.host.kind, target), booked());
    return { assignment: result.assignments[0] ?? null, reason: result.refusals[0]?.reason ?? null, failed };
  }

  function previewOf(rt: HostRuntime, p: Awaited<ReturnType<typeof plan>>): FailoverPreview {
    if (!p.assignment) return { fromHostId: rt.host.id, possible: false, summary: p.reason ?? 'not possible', toHostId: null, toHostName: null, sameSwitch: false, channels: [] };
    const to = rtOf(p.assignment.reserveHostId).host.name;
    const names = p.assignment.channels.map((c) => c.name).join(', ');
    return {
      fromHostId: rt.host.id,
      possible: true,
      summary:
        `Tally will start ${p.assignment.channels.length} channel${p.assignment.channels.length === 1 ? '' : 's'} (${names}) on ${to} from their latest valid snapshots with a new epoch, ` +
        `verify each produces output, make ${to} main, then stop and remove the old copies on ${rt.host.name} and put it in maintenance.` +
        (p.assignment.sameSwitch ? ` Warning: ${to} is behind the same switch as ${rt.host.name}.` : ''),
      toHostId: p.assignment.reserveHostId,
      toHostName: to,
      sameSwitch: p.assignment.sameSwitch,
      channels: p.assignment.channels.map((c) => ({ name: c.name, hash: c.snapshotHash, fromEpoch: c.fromEpoch, toEpoch: c.toEpoch })),
    };
  }

  const clustered = () => deps.cluster?.mode === 'etcd';

  /**
   * Claims the host in etcd (several desks) and then records the operation and its fence. A refused claim means
   * another console already moved this host, or this one stopped leading: nothing is recorded and nothing moves.
   */
  async function newOperation(kind: FailoverOperation['kind'], from: HostRuntime, assignment: Assignment, triggeredAt: number, operator: string | null): Promise<FailoverOperation | { refused: string }> {
    const to = rtOf(assignment.reserveHostId);
    const id = `fo-${ctx.clock.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    if (deps.cluster) {
      const claimed = await deps.cluster
        .claim(
          { host: from.host.address, operationId: id, kind, fromHostName: from.host.name, toHost: to.host.address, toHostName: to.host.name, channels: Object.fromEntries(assignment.channels.map((c) => [c.name, c.toEpoch])), at: ctx.clock.now() },
          { asLeader: kind === 'automatic' },
        )
        .catch((err: Error) => ({ ok: false as const, reason: `the claim could not be written to etcd: ${err.message}`, heldBy: null }));
      if (!claimed.ok) return { refused: claimed.reason };
    }
    const op: FailoverOperation = {
      id,
      kind,
      operator,
      fromHostId: from.host.id,
      fromHostName: from.host.name,
      toHostId: to.host.id,
      toHostName: to.host.name,
      triggeredAt,
      startedAt: ctx.clock.now(),
      finishedAt: null,
      state: 'running',
      channels: assignment.channels.map((c) => ({ name: c.name, hash: c.snapshotHash, fromEpoch: c.fromEpoch, toEpoch: c.toEpoch, state: 'planned', error: null })),
      steps: [],
      fencedAt: null,
      doubleBroadcastMs: null,
    };
    operations.push(op);
    // The fence is recorded before anything moves, so a host that returns at any moment is fenced.
    fences[from.host.id] = { operationId: op.id, channels: Object.fromEntries(op.channels.map((c) => [c.name, c.toEpoch])), since: op.startedAt };
    persistFences();
    from.fencePending = true;
    ctx.fleet.markDirty(from.host.id);
    return op;
  }

  /** For the command handlers: a refused claim is the operator's answer, in words. */
  async function newOperationOrThrow(...args: Parameters<typeof newOperation>): Promise<FailoverOperation> {
    const op = await newOperation(...args);
    if ('refused' in op) throw new ApiError('conflict', `nothing was moved: ${op.refused}`);
    return op;
  }

  /** The config to push: the snapshot's bytes with the new epoch, and its hash. */
  async function raisedConfig(hash: string, toEpoch: number): Promise<Buffer> {
    const { store } = await deps.transcoders.ready();
    const config = JSON.parse((await store.get(hash)).toString('utf8')) as Record<string, unknown>;
    config.epoch = toEpoch;
    return Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
  }

  function statusOn(hostId: string, name: string): ChannelStatus | undefined {
    return deps.transcoders.channels(hostId).find((c) => c.name === name);
  }

  /** Waits for a heartbeat of `hostId` to satisfy `check`; false on timeout. */
  function heartbeatUntil(hostId: string, check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = ctx.clock.setTimeout(() => done(false), timeoutMs);
      const off = ctx.fleet.onMessage((rt, message) => {
        if (rt.host.id === hostId && message.type === 'heartbeat' && check()) done(true);
      });
      function done(ok: boolean) {
        timer.cancel();
        off();
        resolve(ok);
      }
    });
  }

  async function moveChannel(op: FailoverOperation, ch: FailoverOperation['channels'][number]): Promise<void> {
    const { sync } = await deps.transcoders.ready();
    const rt = rtOf(op.toHostId);
    try {
      const bytes = await raisedConfig(ch.hash!, ch.toEpoch);
      const hash = createHash('sha256').update(bytes).digest('hex');
      const hasHls = (JSON.parse(bytes.toString('utf8')) as { outputs?: { type?: string }[] }).outputs?.some((o) => o.type === 'hls') ?? false;
      if (ch.state === 'planned') {
        const present = statusOn(op.toHostId, ch.name);
        if (present?.configHash === hash) {
          step(op, 'config already on the target (resumed)', ch.name);
        } else {
          try {
            await sync.push(op.toHostId, ch.name, bytes, op.operator ?? 'failover', { ifHash: null, note: `failover ${op.id}` });
            step(op, `config pushed (epoch ${ch.fromEpoch} → ${ch.toEpoch})`, ch.name);
          } catch (err) {
            // Create-only refused: after a console restart the push may already have landed. Same bytes: go on.
            if (!/\b409\b/.test((err as Error).message)) throw err;
            const onTarget = ChannelConfigResponse.parse(await rt.link!.request('GET', transcoderPaths.config(ch.name)));
            if (onTarget.hash !== hash) throw new Error(`${op.toHostName} already has a different ${ch.name} (${onTarget.hash.slice(0, 12)}): refusing to overwrite it`, { cause: err });
            step(op, 'config already on the target (resumed)', ch.name);
          }
        }
        ch.state = 'pushed';
        ch.hash = hash;
        persistOperations();
      }
      const pushedAt = ctx.clock.now();
      const isRunning = () => {
        const s = statusOn(op.toHostId, ch.name);
        return s?.state === 'running' && s.epoch === ch.toEpoch;
      };
      let running = await heartbeatUntil(op.toHostId, isRunning, START_NUDGE_AFTER_MS);
      if (!running) {
        // Stopped by an old operator command on the target, say: start it explicitly.
        await rt.link?.request('POST', transcoderPaths.start(ch.name));
        running = await heartbeatUntil(op.toHostId, isRunning, VERIFY_TIMEOUT_MS);
      }
      if (!running) throw new Error(`not running on ${op.toHostName} after ${VERIFY_TIMEOUT_MS / 1000} s: ${statusOn(op.toHostId, ch.name)?.reason ?? 'no status'}`);
      ch.state = 'running';
      step(op, 'running', ch.name);
      const producing = await heartbeatUntil(
        op.toHostId,
        () => {
          const s = statusOn(op.toHostId, ch.name);
          if (!s) return false;
          // An HLS channel is verified by a segment completed on the target after the push, not by ffmpeg's word.
          return hasHls ? (s.lastSegmentAt ?? 0) >= pushedAt : (s.lastOutputAt ?? 0) >= pushedAt;
        },
        VERIFY_TIMEOUT_MS,
      );
      if (!producing) throw new Error(`running on ${op.toHostName} but produced no output within ${VERIFY_TIMEOUT_MS / 1000} s`);
      ch.state = 'verified';
      step(op, hasHls ? 'first new HLS segment reported' : 'producing output', ch.name);
    } catch (err) {
      ch.state = 'failed';
      ch.error = (err as Error).message;
      step(op, `failed: ${ch.error}`, ch.name, false);
    }
  }

  async function repointDns(op: FailoverOperation): Promise<void> {
    const parsed = DnsSettings.nullable().safeParse(ctx.store.get(DNS_KEY) ?? null);
    if (!parsed.success || !parsed.data) return;
    const dns = parsed.data;
    const address = rtOf(op.toHostId).host.address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    for (const ch of op.channels) {
      const name = dns.records[ch.name];
      if (!name || ch.state !== 'verified') continue;
      const result = await sendDnsUpdate(dns.server, dns.key, { zone: dns.zone, name, type: address.includes(':') ? 'AAAA' : 'A', ttlSec: dns.ttlSec, addresses: [address] });
      step(op, result.ok ? `DNS ${name} → ${address} (${result.tookMs} ms)` : `DNS ${name} not re-pointed: ${result.detail}`, ch.name, result.ok);
    }
  }

  function setRole(hostId: string, role: 'main' | 'reserve' | 'maintenance', why: string, operator: string | null): void {
    const host = ctx.inventory.update(hostId, { role });
    ctx.fleet.replace(host);
    ctx.journal.append({ kind: 'host.role', hostId, operator, message: `${host.name} is now ${role}: ${why}` });
  }

  async function execute(op: FailoverOperation): Promise<FailoverOperation> {
    step(op, op.steps.length === 0 ? `started: ${op.channels.length} channels from ${op.fromHostName} to ${op.toHostName}` : 'resumed after a console restart');
    await Promise.all(op.channels.filter((c) => c.state !== 'verified' && c.state !== 'failed').map((c) => moveChannel(op, c)));
    await repointDns(op);
    const failed = op.channels.filter((c) => c.state === 'failed');
    const target = rtOf(op.toHostId);
    if (op.kind !== 'move-back' && target.host.role !== 'main') setRole(op.toHostId, 'main', `it now runs the channels of ${op.fromHostName}`, op.operator);
    op.state = failed.length === 0 ? 'done' : 'failed';
    op.finishedAt = ctx.clock.now();
    step(op, failed.length === 0 ? `done: all ${op.channels.length} channels verified on ${op.toHostName}` : `finished with ${failed.length} channel(s) not running: ${failed.map((c) => c.name).join(', ')}`, null, failed.length === 0);
    // A source that is still connected (manual move, move-back) is fenced right away.
    const source = ctx.fleet.runtime(op.fromHostId);
    if (source && source.linkState === 'connected' && source.health.state === 'ok') await fence(source, ctx.clock.now());
    return op;
  }

  /** The returning host's stale channels are stopped and removed before anything else; then it goes to maintenance. */
  async function fence(rt: HostRuntime, returnedAt: number): Promise<void> {
    const record = fences[rt.host.id];
    if (!record || fencing.has(rt.host.id)) return;
    fencing.add(rt.host.id);
    const op = operations.find((o) => o.id === record.operationId);
    try {
      const listed = (await rt.link!.request<{ channels: ChannelStatus[] }>('GET', transcoderPaths.channels, undefined, 5000)).channels;
      const stale = listed.filter((c) => record.channels[c.name] !== undefined && (c.epoch ?? 0) < record.channels[c.name]!);
      await Promise.all(
        stale.map(async (c) => {
          await rt.link!.request('POST', transcoderPaths.stop(c.name), undefined, 10_000);
          await rt.link!.request('DELETE', transcoderPaths.channel(c.name), undefined, 10_000);
        }),
      );
      const fencedAt = ctx.clock.now();
      // The host changes role only once a heartbeat shows the channels gone, so the console never shows a maintenance
      // host still running them (an operator making it a reserve at once was refused: "runs 1 channels").
      if (stale.length > 0) {
        const gone = () => !deps.transcoders.channels(rt.host.id).some((c) => stale.some((s) => s.name === c.name));
        if (!(await heartbeatUntil(rt.host.id, gone, FENCE_CONFIRM_MS))) {
          ctx.journal.append({ kind: 'failover.fence-unconfirmed', severity: 'warning', hostId: rt.host.id, message: `${rt.host.name} accepted the removal of its stale channels, but no heartbeat within ${FENCE_CONFIRM_MS / 1000} s showed them gone` });
        }
      }
      delete fences[rt.host.id];
      persistFences();
      await deps.cluster?.release(rt.host.address, record.operationId).catch((err: Error) => {
        ctx.journal.append({ kind: 'failover.claim-release-failed', severity: 'major', hostId: rt.host.id, message: `${rt.host.name} is fenced, but its claim in etcd could not be dropped (${err.message}); the leader drops it when it sees the host fenced` });
      });
      rt.fencePending = false;
      const windowMs = fencedAt - returnedAt;
      if (op) {
        op.fencedAt = fencedAt;
        op.doubleBroadcastMs = stale.length > 0 ? windowMs : 0;
        step(op, `fenced ${rt.host.name}: ${stale.length} stale channel(s) stopped and removed ${windowMs} ms after it returned`);
      }
      ctx.journal.append({ kind: 'failover.fenced', severity: 'warning', hostId: rt.host.id, message: `${rt.host.name} returned: stopped and removed ${stale.length} stale channel(s) (${stale.map((c) => c.name).join(', ') || 'none'}) in ${windowMs} ms`, data: { actionId: record.operationId, outcome: 'ok', doubleBroadcastMs: windowMs } });
      if (op?.kind === 'move-back') setRole(rt.host.id, 'reserve', `its channels moved back to ${op.toHostName}`, op.operator);
      else setRole(rt.host.id, 'maintenance', 'returned after a failover; check it before making it a reserve or moving channels back', op?.operator ?? null);
    } catch (err) {
      ctx.journal.append({ kind: 'failover.fence-failed', severity: 'critical', hostId: rt.host.id, message: `could not fence ${rt.host.name}: ${(err as Error).message} — its old channels may still broadcast; retrying on its next return`, data: { actionId: record.operationId, outcome: 'failed', error: (err as Error).message } });
    } finally {
      fencing.delete(rt.host.id);
    }
  }

  async function automatic(rt: HostRuntime): Promise<void> {
    if (fences[rt.host.id] || operations.some((o) => o.state === 'running' && o.fromHostId === rt.host.id)) return;
    if (deps.isUnreachable?.(rt.host.id)) {
      ctx.journal.append({ kind: 'failover.held', severity: 'major', hostId: rt.host.id, message: `${rt.host.name} is unreachable behind a dead switch: no failover without a peer confirming it is gone` });
      return;
    }
    const p = await plan(rt);
    if (!p.assignment) {
      if (p.failed.channels.length === 0) return;
      ctx.journal.append({ kind: 'failover.no-capacity', severity: 'critical', hostId: rt.host.id, message: `${rt.host.name} is down and cannot be failed over: ${p.reason}; nothing was started`, data: { outcome: 'failed' } });
      return;
    }
    const op = await newOperation('automatic', rt, p.assignment, rt.health.since, null);
    if ('refused' in op) {
      ctx.journal.append({ kind: 'failover.claimed-elsewhere', severity: 'warning', hostId: rt.host.id, message: `${rt.host.name} is down; not failing it over from here: ${op.refused}` });
      return;
    }
    await execute(op);
  }

  /**
   * A failed host that comes back is fenced at once: its stale channels go before anything else. A planned move
   * (manual, move-back) fences its healthy source only after the target is verified, so nothing goes dark meanwhile.
   */
  const fenceOnReturn = (rt: HostRuntime, at: number) => {
    if (!fences[rt.host.id]) return;
    // Several desks: the leader fences returning hosts (a standby that became leader fences those it finds back).
    if (clustered() && !deps.cluster!.mayAutomate()) return;
    const planned = operations.some((o) => o.state === 'running' && o.fromHostId === rt.host.id && o.kind !== 'automatic');
    if (!planned) void track(fence(rt, at));
  };

  ctx.fleet.onHealthChange((rt, _from, to) => {
    // A frozen host's stream may survive its pause: its first heartbeat, not only a new hello, means it is back.
    if (to === 'ok') fenceOnReturn(rt, ctx.clock.now());
    if (to !== 'down' || rt.host.role !== 'main' || rt.host.kind !== 'transcoder') return;
    if (deps.cluster && !deps.cluster.mayAutomate()) {
      ctx.journal.append({ kind: 'failover.not-leader', severity: 'warning', hostId: rt.host.id, message: `${rt.host.name} is down; another console leads and runs the failover` });
      return;
    }
    void track(automatic(rt));
  });

  ctx.fleet.onMessage((rt, message, at) => {
    if (message.type === 'hello') fenceOnReturn(rt, at);
  });

  /**
   * A console that becomes leader picks up what its predecessor may have left: hosts down with nobody failing them
   * over (the claim in etcd stops a second failover of a host already moved), and returned hosts still to be fenced.
   */
  deps.cluster?.onLeadershipGained(() => {
    for (const rt of ctx.fleet.all()) {
      if (fences[rt.host.id] && rt.health.state === 'ok' && rt.linkState === 'connected') fenceOnReturn(rt, ctx.clock.now());
      else if (rt.health.state === 'down' && rt.host.role === 'main' && rt.host.kind === 'transcoder') void track(automatic(rt));
    }
  });

  /**
   * Moves made by other consoles, mirrored here: the target becomes main and the source gets a fence (so this
   * console fences it if it leads when the host returns); a claim that disappears was fenced elsewhere.
   */
  const mirrored = new Map<string, HostClaim>();
  const byAddress = (address: string) => ctx.fleet.all().find((rt) => rt.host.address === address);
  deps.cluster?.onClaims((claims, readStartedAt) => {
    const byOperation = new Map(claims.map((c) => [c.operationId, c]));
    for (const c of claims) {
      if (c.consoleId === deps.cluster!.selfId || mirrored.has(c.operationId) || operations.some((o) => o.id === c.operationId)) continue;
      // Consoles name hosts in their own inventories; the agent address is the name they share.
      const from = byAddress(c.host);
      if (!from) continue;
      if (fences[from.host.id]?.operationId === c.operationId) continue;
      mirrored.set(c.operationId, c);
      fences[from.host.id] = { operationId: c.operationId, channels: c.channels, since: c.at };
      persistFences();
      from.fencePending = true;
      ctx.fleet.markDirty(from.host.id);
      ctx.journal.append({ kind: 'failover.remote', severity: 'warning', hostId: from.host.id, message: `${c.console} moved ${c.fromHostName}'s channels to ${c.toHostName} (${c.kind}, operation ${c.operationId}); ${c.fromHostName} is fenced when it returns`, data: { actionId: c.operationId } });
      const to = byAddress(c.toHost);
      if (to && to.host.role !== 'main') setRole(to.host.id, 'main', c.kind === 'move-back' ? `${c.console} moved channels back there` : `${c.console} moved the channels of ${c.fromHostName} there`, null);
    }
    for (const [hostId, fence] of Object.entries(fences)) {
      // Fenced by another console: its claim is gone. (Only fences older than this read: a claim written after the
      // read began may simply not be in it yet.)
      const remote = mirrored.get(fence.operationId);
      if (byOperation.has(fence.operationId) || fencing.has(hostId) || (!remote && fence.since >= readStartedAt)) continue;
      const local = operations.find((o) => o.id === fence.operationId);
      if (local?.state === 'running') continue;
      delete fences[hostId];
      persistFences();
      mirrored.delete(fence.operationId);
      const rt = ctx.fleet.runtime(hostId);
      if (rt) {
        rt.fencePending = false;
        ctx.fleet.markDirty(hostId);
      }
      const kind = remote?.kind ?? local?.kind;
      ctx.journal.append({ kind: 'failover.fenced-elsewhere', hostId, message: `${rt?.host.name ?? hostId} was fenced by another console (operation ${fence.operationId})`, data: { actionId: fence.operationId } });
      if (rt) setRole(hostId, kind === 'move-back' ? 'reserve' : 'maintenance', 'fenced by another console after a failover', null);
    }
  });

  function actor(c: CallContext): string | null {
    return c.operator;
  }

  return {
    operations: () => operations,
    async idle() {
      while (work.size) await Promise.allSettled([...work]);
    },
    start() {
      for (const id of Object.keys(fences)) {
        const rt = ctx.fleet.runtime(id);
        if (rt) rt.fencePending = true;
      }
      // Operations a killed console left running are resumed: every step is idempotent.
      for (const op of operations.filter((o) => o.state === 'running')) {
        ctx.journal.append({ kind: 'failover.resume', severity: 'warning', hostId: op.toHostId, message: `resuming failover ${op.fromHostName} → ${op.toHostName} left running by the previous console`, data: { actionId: op.id } });
        void track(
          (async () => {
            await deps.transcoders.ready();
            await heartbeatUntil(op.toHostId, () => ctx.fleet.runtime(op.toHostId)?.health.state === 'ok', 15_000);
            await execute(op);
          })(),
        );
      }
    },
    async stop() {
      await Promise.allSettled([...work]);
    },
    queries: {
      'failover.preview': async ({ hostId }) => {
        const rt = rtOf(hostId);
        return previewOf(rt, await plan(rt));
      },
      'failover.operations': async ({ limit }) => operations.slice(-limit).reverse(),
      'failover.dns.get': async () => {
        const parsed = DnsSettings.nullable().safeParse(ctx.store.get(DNS_KEY) ?? null);
        if (!parsed.success || !parsed.data) return null;
        const { key, ...rest } = parsed.data;
        return { ...rest, keyName: key.name };
      },
    },
    commands: {
      'failover.run': async ({ hostId }, c) => {
        const rt = rtOf(hostId);
        if (rt.host.role !== 'main') throw new ApiError('conflict', `${rt.host.name} is ${rt.host.role}, not main: only a main host is failed over`);
        if (fences[hostId]) throw new ApiError('conflict', `${rt.host.name} is waiting to be fenced after an earlier failover`);
        const p = await plan(rt);
        if (!p.assignment) throw new ApiError('conflict', p.reason ?? 'no reserve can take it');
        const op = await newOperationOrThrow('manual', rt, p.assignment, ctx.clock.now(), actor(c));
        void track(execute(op));
        return op;
      },
      'failover.moveBack': async ({ operationId }, c) => {
        const previous = operations.find((o) => o.id === operationId);
        if (!previous) throw new ApiError('not-found', `no failover operation ${operationId}`);
        if (previous.state === 'running') throw new ApiError('conflict', 'that failover is still running');
        const home = rtOf(previous.fromHostId);
        const current = rtOf(previous.toHostId);
        if (fences[home.host.id]) throw new ApiError('conflict', `${home.host.name} has not been fenced yet: bring it back first`);
        if (deps.transcoders.channels(home.host.id).length > 0) throw new ApiError('conflict', `${home.host.name} still has channels: it must be empty to take them back`);
        const p = await plan(current, home.host.id);
        if (!p.assignment) throw new ApiError('conflict', p.reason?.replace('no reserve capacity', `${home.host.name} cannot take them`) ?? 'not possible');
        const op = await newOperationOrThrow('move-back', current, p.assignment, ctx.clock.now(), actor(c));
        setRole(home.host.id, 'main', `channels move back from ${current.host.name}`, actor(c));
        void track(execute(op));
        return op;
      },
      'host.setRole': async ({ hostId, role }, c) => {
        const rt = rtOf(hostId);
        if (role === 'reserve' && deps.transcoders.channels(hostId).length > 0) {
          throw new ApiError('conflict', `${rt.host.name} runs ${deps.transcoders.channels(hostId).length} channels: a host with channels cannot be a reserve`);
        }
        if (fences[hostId] && role !== 'maintenance') throw new ApiError('conflict', `${rt.host.name} must be fenced first (its old channels are still on it)`);
        setRole(hostId, role, `set by ${c.operator ?? 'an operator'}`, c.operator);
        return { hostId, role };
      },
      'failover.dns.set': async (settings, c) => {
        ctx.store.set(DNS_KEY, settings);
        ctx.journal.append({ kind: 'failover.dns', operator: c.operator, message: settings ? `${c.operator ?? 'an operator'} set DNS re-pointing: zone ${settings.zone} via ${settings.server.host}:${settings.server.port}, ${Object.keys(settings.records).length} channel name(s)` : `${c.operator ?? 'an operator'} turned DNS re-pointing off` });
        return { saved: true };
      },
    },
  };
}
