/**
 * Leadership among several consoles, kept by etcd (issue 8): every console campaigns for one key bound to its lease;
 * whoever holds it leads. Only the leader automates — and only while its lease is good by its own clock, counted from
 * the moment it *sent* the keep-alive that etcd answered, so it always stops before etcd could hand the key to
 * anybody else. A console that dies or loses etcd stops automating within its lease; a standby takes the key within
 * the lease TTL plus one poll after etcd expires it.
 *
 * Failovers are claimed per host in etcd before anything moves (a compare-and-swap that, for automation, also
 * requires the claimant still to be the leader), so two consoles never fail the same host over twice — not even a
 * new leader looking at a host its dead predecessor already moved. The claim carries the fence (channel → epoch), so
 * whichever console leads when the host returns stops its stale channels.
 *
 * Without etcd configured the console is alone and leads: mayAutomate() is always true and claims always succeed.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EngineContext, EngineModule } from '../engine-context';
import { HostClaim, type ClusterStatus } from './cluster-contract';
import { EtcdClient } from './etcd-client';

export interface ClusterSettings {
  /** etcd client URLs; empty or absent means a single console. */
  etcdEndpoints: string[];
  /** This console's name (shown to operators). */
  name: string;
  leaseTtlSec: number;
  /** Key prefix, so several plants can share one etcd. */
  prefix: string;
  username?: string;
  password?: string;
}

export const DEFAULT_LEASE_TTL_SEC = 5;

export type ClaimResult = { ok: true } | { ok: false; reason: string; heldBy: HostClaim | null };

export interface Cluster extends EngineModule<'cluster.status'> {
  readonly mode: 'single' | 'etcd';
  readonly selfId: string;
  readonly selfName: string;
  status(): ClusterStatus;
  /** True while this console leads and its lease is good: automation may act. */
  mayAutomate(): boolean;
  /** Claims a host before its channels move; `asLeader` also requires this console to lead at that instant. */
  claim(claim: Omit<HostClaim, 'console' | 'consoleId'>, opts: { asLeader: boolean }): Promise<ClaimResult>;
  /** Drops the claim once the host (by agent address) has been fenced (only the claim of that operation). */
  release(host: string, operationId: string): Promise<void>;
  /** The claims as last read from etcd, and the local time the read started; null in single mode or before a read. */
  claims(): { claims: HostClaim[]; readStartedAt: number } | null;
  onLeadershipGained(fn: () => void): () => void;
  onClaims(fn: (claims: HostClaim[], readStartedAt: number) => void): () => void;
}

interface Lease {
  id: string;
  ttlSec: number;
  /** Monotonic ms: good until then by our clock (send time of the last answered keep-alive + TTL). */
  goodUntil: number;
  lastKeepAlive: number;
}

export function createCluster(ctx: EngineContext, settings: ClusterSettings | null): Cluster {
  const selfId = `${settings?.name ?? 'console'}-${randomBytes(4).toString('hex')}`;
  const selfName = settings?.name ?? 'this console';
  const mono = () => performance.now();
  const gained = new Set<() => void>();
  const claimListeners = new Set<(claims: HostClaim[], at: number) => void>();
  const since = ctx.clock.now();

  if (!settings || settings.etcdEndpoints.length === 0) {
    const status: ClusterStatus = { mode: 'single', self: selfName, leader: selfName, isLeader: true, automating: true, leaseTtlSec: null, leaseLeftMs: null, etcd: null, since };
    return {
      mode: 'single',
      selfId,
      selfName,
      status: () => status,
      mayAutomate: () => true,
      claim: async () => ({ ok: true }),
      release: async () => {},
      claims: () => null,
      onLeadershipGained: () => () => {},
      onClaims: () => () => {},
      queries: { 'cluster.status': async () => status },
      commands: {},
    };
  }

  const ttlSec = settings.leaseTtlSec;
  const etcd = new EtcdClient({ endpoints: settings.etcdEndpoints, timeoutMs: Math.min(1000, (ttlSec * 1000) / 4), username: settings.username, password: settings.password });
  const prefix = settings.prefix.replace(/\/$/, '');
  const leaderKey = `${prefix}/leader`;
  const claimPrefix = `${prefix}/failover/`;
  const me = JSON.stringify({ id: selfId, name: selfName });
  const claimKey = (host: string) => `${claimPrefix}${encodeURIComponent(host)}`;
  // Polled often enough that a standby takes over well inside TTL + 1 s; keep-alives every third of the TTL.
  const pollMs = Math.max(200, Math.min(500, (ttlSec * 1000) / 6));
  const keepAliveEveryMs = (ttlSec * 1000) / 3;
  // Stop automating a little before the lease runs out by our clock: the margin covers a round in flight.
  const marginMs = Math.min(500, ttlSec * 100);

  let lease: Lease | null = null;
  let leader: { id: string; name: string } | null = null;
  let reachable = false;
  let error: string | null = null;
  let leaderSince = since;
  let lastClaims: { claims: HostClaim[]; raw: Map<string, string>; readStartedAt: number } | null = null;
  let timer: { cancel(): void } | null = null;
  let stopped = false;
  let wasAutomating = false;
  let lastEmitted = '';

  const mayAutomate = () => leader?.id === selfId && lease !== null && mono() < lease.goodUntil - marginMs;

  function status(): ClusterStatus {
    const left = lease ? Math.max(0, Math.round(lease.goodUntil - mono())) : null;
    return {
      mode: 'etcd',
      self: selfName,
      leader: leader?.name ?? null,
      isLeader: leader?.id === selfId,
      automating: mayAutomate(),
      leaseTtlSec: ttlSec,
      leaseLeftMs: left,
      etcd: { endpoint: etcd.endpoint, reachable, error },
      since: leaderSince,
    };
  }

  function publish(): void {
    const s = status();
    const key = JSON.stringify([s.leader, s.isLeader, s.automating, s.etcd?.reachable, s.etcd?.error]);
    if (key === lastEmitted) return;
    lastEmitted = key;
    ctx.emit({ type: 'cluster.changed', payload: s });
  }

  function parseLeader(value: string | undefined): { id: string; name: string } | null {
    if (!value) return null;
    try {
      const v = JSON.parse(value) as { id?: unknown; name?: unknown };
      if (typeof v.id === 'string' && typeof v.name === 'string') return { id: v.id, name: v.name };
    } catch {
      // fall through
    }
    return { id: value, name: `unknown console (${value.slice(0, 40)})` };
  }

  async function round(): Promise<void> {
    const sentAt = mono();
    const readStartedAt = ctx.clock.now();
    try {
      if (!lease || sentAt >= lease.goodUntil) {
        if (lease) ctx.journal.append({ kind: 'cluster.lease-lost', severity: 'major', message: `${selfName}'s etcd lease ran out before a keep-alive got through; asking for a new one` });
        const granted = await etcd.grantLease(ttlSec);
        lease = { id: granted.id, ttlSec: granted.ttlSec, goodUntil: sentAt + granted.ttlSec * 1000, lastKeepAlive: sentAt };
      } else if (sentAt - lease.lastKeepAlive >= keepAliveEveryMs) {
        const left = await etcd.keepAlive(lease.id);
        if (left <= 0) {
          lease = null;
          leader = leader?.id === selfId ? null : leader;
          throw new Error('etcd says this console’s lease has expired');
        }
        lease.goodUntil = sentAt + left * 1000;
        lease.lastKeepAlive = sentAt;
      }
      const r = await etcd.txn([{ key: leaderKey, target: 'create', createRevision: 0 }], [{ put: { key: leaderKey, value: me, lease: lease.id } }], [{ range: { key: leaderKey } }]);
      const before = leader;
      const held = r.ranges[0]?.[0];
      leader = r.succeeded ? { id: selfId, name: selfName } : parseLeader(held?.value);
      if (!r.succeeded && leader?.id === selfId && held?.lease !== lease.id) {
        // Our key, but bound to a lease we gave up on (it ran out by our clock while etcd was away): never lead on
        // it — etcd would expire it under us. Revoke it, which deletes the key, and campaign afresh next round.
        if (held?.lease) await etcd.revokeLease(held.lease).catch(() => {});
        leader = null;
      }
      if (leader?.id !== before?.id) {
        leaderSince = ctx.clock.now();
        ctx.journal.append({
          kind: 'cluster.leader',
          severity: leader?.id === selfId || !leader ? 'warning' : 'info',
          message: leader ? (leader.id === selfId ? `${selfName} now leads: automatic failover and recovery-mode resync run here` : `${leader.name} leads; ${selfName} stands by (operators can act here; automation runs there)`) : 'no console leads right now',
        });
      }
      const kvs = await etcd.list(claimPrefix);
      const claims: HostClaim[] = [];
      const raw = new Map<string, string>();
      for (const kv of kvs) {
        try {
          const parsed = HostClaim.safeParse(JSON.parse(kv.value));
          if (parsed.success) {
            claims.push(parsed.data);
            raw.set(parsed.data.host, kv.value);
            continue;
          }
        } catch {
          // reported below
        }
        ctx.log('warn', `unreadable failover claim in etcd at ${kv.key}; ignored`);
      }
      lastClaims = { claims, raw, readStartedAt };
      reachable = true;
      error = null;
      for (const fn of claimListeners) fn(claims, readStartedAt);
    } catch (err) {
      if (reachable || error === null) {
        ctx.journal.append({ kind: 'cluster.etcd-unreachable', severity: 'major', message: `${selfName} cannot reach etcd (${(err as Error).message}); ${leader?.id === selfId ? 'it stops automating when its lease runs out' : 'it does not automate'}` });
      }
      reachable = false;
      error = (err as Error).message;
    }
    const automating = mayAutomate();
    if (automating && !wasAutomating) for (const fn of gained) fn();
    if (!automating && wasAutomating) ctx.journal.append({ kind: 'cluster.stopped-automating', severity: 'warning', message: `${selfName} stopped automating: ${reachable ? 'it no longer leads' : 'its etcd lease ran out'}` });
    wasAutomating = automating;
    publish();
  }

  function schedule(): void {
    if (stopped) return;
    // While leading, wake up in time to notice the lease running out even if etcd hangs.
    timer = ctx.clock.setTimeout(() => void round().finally(schedule), pollMs);
  }

  // The lease can run out between rounds (a round stuck on a dead etcd): notice it at once.
  let watchdog: { cancel(): void } | null = null;

  return {
    mode: 'etcd',
    selfId,
    selfName,
    status,
    mayAutomate,
    async claim(c, opts) {
      if (!lease || mono() >= lease.goodUntil) return { ok: false, reason: `${selfName} has no live etcd lease (${error ?? 'not connected yet'}), so it cannot make sure no other console is moving the same host`, heldBy: null };
      if (opts.asLeader && !mayAutomate()) return { ok: false, reason: `${selfName} does not lead`, heldBy: null };
      const full: HostClaim = { ...c, console: selfName, consoleId: selfId };
      const key = claimKey(c.host);
      const value = JSON.stringify(full);
      const compare = [{ key, target: 'create' as const, createRevision: 0 }, ...(opts.asLeader ? [{ key: leaderKey, target: 'value' as const, value: me }] : [])];
      const r = await etcd.txn(compare, [{ put: { key, value } }], [{ range: { key } }]);
      if (r.succeeded) {
        lastClaims?.raw.set(c.host, value);
        return { ok: true };
      }
      const held = r.ranges[0]?.[0];
      if (held) {
        const parsed = HostClaim.safeParse(JSON.parse(held.value));
        const h = parsed.success ? parsed.data : null;
        return { ok: false, heldBy: h, reason: h ? `${h.console} already moved ${h.fromHostName}'s channels to ${h.toHostName} (${h.kind}, operation ${h.operationId})` : 'another console holds an unreadable claim on this host' };
      }
      return { ok: false, heldBy: null, reason: `${selfName} no longer leads` };
    },
    async release(host, operationId) {
      const key = claimKey(host);
      const current = await etcd.get(key);
      if (!current) return;
      const parsed = HostClaim.safeParse(JSON.parse(current.value));
      if (!parsed.success || parsed.data.operationId !== operationId) return;
      await etcd.txn([{ key, target: 'value', value: current.value }], [{ delete: { key } }]);
    },
    claims: () => (lastClaims ? { claims: lastClaims.claims, readStartedAt: lastClaims.readStartedAt } : null),
    onLeadershipGained(fn) {
      gained.add(fn);
      return () => gained.delete(fn);
    },
    onClaims(fn) {
      claimListeners.add(fn);
      return () => claimListeners.delete(fn);
    },
    start() {
      ctx.journal.append({ kind: 'cluster.campaign', message: `${selfName} campaigns for leadership through etcd at ${settings.etcdEndpoints.join(', ')} (lease ${ttlSec} s)` });
      void round().finally(schedule);
      watchdog = ctx.clock.setInterval(() => {
        if (wasAutomating && !mayAutomate()) {
          wasAutomating = false;
          ctx.journal.append({ kind: 'cluster.stopped-automating', severity: 'warning', message: `${selfName} stopped automating: its etcd lease ran out (${error ?? 'no keep-alive answered in time'})` });
          publish();
        }
      }, 100);
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      watchdog?.cancel();
      // Hand over at once rather than after the TTL: a revoked lease deletes the leader key.
      if (lease) await etcd.revokeLease(lease.id).catch(() => {});
      lease = null;
    },
    queries: { 'cluster.status': async () => status() },
    commands: {},
  };
}
