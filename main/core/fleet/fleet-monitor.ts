/**
 * Watches every host of the inventory: one agent link each, the failure detector fed by heartbeats, ticks and probe
 * rounds, metric ring buffers, and the host views the UI sees (batched into `hosts.changed` events). Other engine
 * modules hear about agent messages and health changes through listeners, never by reaching into this file.
 */
import type { AgentMessage, SystemStatus } from '../../../agents/protocol';
import type { FleetStatus, Host, HostView, LinkState, MetricName, Settings, SystemSummary, TallyEvent } from '../api';
import type { Clock } from '../clock';
import { consoleIsolated, type HostHealth, type HealthEvent, initialHealth, nextHealth } from '../health/detector';
import type { PeerHandle, Prober } from '../health/prober';
import type { Journal } from '../journal/journal';
import type { HostNetwork } from '../network/network-contract';
import { MetricStore } from '../metrics/ring-buffer';
import type { AgentConnector, AgentLink } from './agent-link';

const TICK_MS = 100;
const FLUSH_MS = 250;
const METRIC_CAPACITY = 600; // 10 minutes at one sample a second
const METRIC_SPACING_MS = 1000;
const REJECT_JOURNAL_EVERY_MS = 10_000;
/**
 * A heartbeat's figures (last heartbeat time, CPU, memory) go to the UIs at most this often per host; anything else
 * in a host's view (health, reason, link, agent version) goes on the next flush. At 1,000 hosts × 2 heartbeats a
 * second, re-sending every view on every heartbeat was the bulk of the event stream. Same beat as the channel figures
 * (transcoders-module FIGURES_EVERY_MS) and as the metric rings the sparklines reload from.
 */
export const HOST_FIGURES_EVERY_MS = 1000;

export interface HostRuntime {
  host: Host;
  link: AgentLink | null;
  linkState: LinkState;
  linkError: string | null;
  health: HostHealth;
  agentVersion: string | null;
  agentEpoch: string | null;
  agentRoles: string[];
  system: SystemSummary | null;
  nextApiCheckAt: number;
  rejected: { count: number; lastJournalAt: number };
  /** When this host's view last went out because of heartbeat figures alone. */
  figuresSentAt: number;
  /** Set by the network module from the switch ports the host hangs off; absent without uplinks on record. */
  network?: HostNetwork;
  /** Set by the failover module: its channels run elsewhere and must be fenced when it returns. */
  fencePending: boolean;
}

export type HealthChangeListener = (rt: HostRuntime, from: HostHealth['state'], to: HostHealth['state']) => void;
export type MessageListener = (rt: HostRuntime, message: AgentMessage, at: number) => void;
export type LinkListener = (rt: HostRuntime, from: LinkState, to: LinkState) => void;

export interface FleetMonitorDeps {
  clock: Clock;
  journal: Journal;
  connect: AgentConnector;
  prober: Prober;
  settings: () => Settings;
  emit: (event: TallyEvent) => void;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export class FleetMonitor {
  private readonly runtimes = new Map<string, HostRuntime>();
  /** The fleet in a fixed order (rebuilt after an attach or detach), and where the next search for probe peers starts. */
  private order: HostRuntime[] | null = null;
  private peerCursor = 0;
  private readonly metrics = new MetricStore<MetricName>(METRIC_CAPACITY, METRIC_SPACING_MS);
  private readonly dirty = new Set<string>();
  private readonly timers: { cancel(): void }[] = [];
  private readonly healthListeners = new Set<HealthChangeListener>();
  private readonly messageListeners = new Set<MessageListener>();
  private readonly linkListeners = new Set<LinkListener>();
  private status: FleetStatus = { isolated: false, monitored: 0, silent: 0 };
  private started = false;
  private lastTickAt: number | null = null;
  /** When the console's own event loop was last seen stalled (see tick). */
  private lastStallAt = -Infinity;

  constructor(private readonly deps: FleetMonitorDeps) {}

  onHealthChange(listener: HealthChangeListener): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }
  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }
  onLinkChange(listener: LinkListener): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  runtime(id: string): HostRuntime | undefined {
    return this.runtimes.get(id);
  }
  all(): HostRuntime[] {
    return [...this.runtimes.values()];
  }
  fleetStatus(): FleetStatus {
    return this.status;
  }
  views(): HostView[] {
    return this.all().map((rt) => this.viewOf(rt));
  }
  view(id: string): HostView | undefined {
    const rt = this.runtimes.get(id);
    return rt ? this.viewOf(rt) : undefined;
  }
  readMetric(id: string, metric: MetricName): [number, number][] {
    return this.metrics.read(id, metric);
  }
  markDirty(id: string): void {
    this.dirty.add(id);
  }
  /** The network module's verdict on a host (undefined: no uplinks on record); sent to the UIs when it changes. */
  setNetwork(id: string, network: HostNetwork | undefined): void {
    const rt = this.runtimes.get(id);
    if (!rt || JSON.stringify(rt.network) === JSON.stringify(network)) return;
    rt.network = network;
    this.dirty.add(id);
  }

  attach(host: Host): HostRuntime {
    const now = this.deps.clock.now();
    const rt: HostRuntime = {
      host,
      link: null,
      linkState: 'connecting',
      linkError: null,
      health: initialHealth(now),
      agentVersion: null,
      agentEpoch: null,
      agentRoles: [],
      system: null,
      nextApiCheckAt: now + Math.random() * this.deps.settings().health.tMainMs,
      rejected: { count: 0, lastJournalAt: -Infinity },
      figuresSentAt: -Infinity,
      fencePending: false,
    };
    this.runtimes.set(host.id, rt);
    this.order = null;
    if (this.started) this.openLink(rt);
    this.dirty.add(host.id);
    return rt;
  }

  /** The inventory changed a host: reconnect if its address or token changed, else just refresh the view. */
  replace(host: Host): HostRuntime {
    const rt = this.runtimes.get(host.id);
    if (!rt) return this.attach(host);
    const reconnect = rt.host.address !== host.address || rt.host.token !== host.token;
    if (!reconnect) {
      rt.host = host;
      this.dirty.add(host.id);
      return rt;
    }
    this.detach(host.id);
    return this.attach(host);
  }

  detach(id: string): void {
    const rt = this.runtimes.get(id);
    rt?.link?.close();
    this.runtimes.delete(id);
    this.order = null;
    this.metrics.forget(id);
    this.deps.prober.forget(id);
    this.dirty.delete(id);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const rt of this.runtimes.values()) this.openLink(rt);
    this.timers.push(
      this.deps.clock.setInterval(() => this.tick(), TICK_MS),
      this.deps.clock.setInterval(() => this.flush(), FLUSH_MS),
    );
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    for (const rt of this.runtimes.values()) rt.link?.close();
  }

  /** Pushes the heartbeat setting to every connected agent (after the operator changed it). */
  configureAgents(): void {
    const heartbeatMs = this.deps.settings().health.heartbeatMs;
    for (const rt of this.runtimes.values()) rt.link?.send({ type: 'configure', heartbeatMs, channelDeltas: true });
  }

  private viewOf(rt: HostRuntime): HostView {
    const { host } = rt;
    return {
      id: host.id,
      name: host.name,
      address: host.address,
      kind: host.kind,
      role: host.role,
      group: host.group,
      health: rt.health.state,
      healthSince: rt.health.since,
      healthReason: rt.health.reason,
      link: rt.linkState,
      linkError: rt.linkError,
      agentVersion: rt.agentVersion,
      agentRoles: rt.agentRoles,
      lastHeartbeatAt: rt.health.lastHeartbeatAt,
      system: rt.system,
      fencePending: rt.fencePending,
      ...(rt.network ? { network: rt.network } : {}),
    };
  }

  private feed(rt: HostRuntime, event: HealthEvent): void {
    const { health, effects } = nextHealth(rt.health, event, this.deps.settings().health);
    const before = rt.health;
    rt.health = health;
    if (health.reason !== before.reason) this.dirty.add(rt.host.id);
    if (health.state !== before.state) this.healthChanged(rt, before.state);
    for (const effect of effects) if (effect.type === 'probe') void this.probe(rt);
  }

  private healthChanged(rt: HostRuntime, from: HostHealth['state']): void {
    const to = rt.health.state;
    this.dirty.add(rt.host.id);
    const severity = to === 'down' ? 'critical' : to === 'attention' ? 'warning' : 'info';
    this.deps.journal.append({
      kind: 'host.health',
      severity,
      hostId: rt.host.id,
      message: `${rt.host.name} is ${to} (was ${from})${rt.health.reason ? `: ${rt.health.reason}` : ''}`,
      data: { from, to, reason: rt.health.reason },
    });
    for (const listener of this.healthListeners) listener(rt, from, to);
  }

  /**
   * Two healthy, connected hosts other than `rt`, looked for from a point that moves one host on with every call, so
   * the probe rounds of many hosts going silent at once (a rack, a frozen simulator worker) are spread over the fleet
   * instead of all landing on its first two hosts — each round makes a peer run an HTTP check and a ping. The search
   * stops once it has two.
   */
  private peersFor(rt: HostRuntime): PeerHandle[] {
    const order = (this.order ??= [...this.runtimes.values()]);
    const peers: PeerHandle[] = [];
    const n = order.length;
    const start = n === 0 ? 0 : this.peerCursor++ % n;
    for (let k = 0; k < n && peers.length < 2; k++) {
      const p = order[(start + k) % n]!;
      if (p === rt || !canVouch(p)) continue;
      peers.push({ peerId: p.host.name, request: (method, path, body, timeoutMs) => p.link!.request(method, path, body, timeoutMs) });
    }
    return peers;
  }

  /** Could any other host vouch for `rt` right now? */
  private hasPeerFor(rt: HostRuntime): boolean {
    for (const p of this.runtimes.values()) if (p !== rt && canVouch(p)) return true;
    return false;
  }

  private async probe(rt: HostRuntime): Promise<void> {
    const settings = this.deps.settings().health;
    const round = await this.deps.prober.round({ hostId: rt.host.id, address: rt.host.address }, this.peersFor(rt), settings.checkTimeoutMs);
    if (this.runtimes.get(rt.host.id) !== rt) return;
    this.feed(rt, { type: 'probe-result', at: this.deps.clock.now(), round, isolated: this.status.isolated, peersAvailable: this.hasPeerFor(rt) });
  }

  private tick(): void {
    const now = this.deps.clock.now();
    const settings = this.deps.settings().health;
    // After a stall of our own event loop, timers run before the queued heartbeats are read: judging silence now
    // would blame every host for the console's pause. Skip one tick and let the backlog in first.
    const stalledMs = this.lastTickAt === null ? 0 : now - this.lastTickAt - TICK_MS;
    this.lastTickAt = now;
    if (stalledMs > 2 * TICK_MS) {
      this.lastStallAt = now;
      this.deps.log('warn', 'console event loop stalled; health judgement deferred one tick', { stalledMs });
      return;
    }
    this.updateFleetStatus(now, settings.suspectAfterMs);
    // How many hosts could vouch for another right now, kept exact as the loop changes states: each host asks
    // "is anyone but me healthy?" in O(1) instead of scanning the fleet (which made every tick O(n²)).
    let vouchers = 0;
    for (const rt of this.runtimes.values()) if (canVouch(rt)) vouchers++;
    for (const rt of this.runtimes.values()) {
      const before = canVouch(rt);
      this.feed(rt, { type: 'tick', now, isolated: this.status.isolated, peersAvailable: vouchers - (before ? 1 : 0) > 0 });
      vouchers += (canVouch(rt) ? 1 : 0) - (before ? 1 : 0);
      if (rt.health.state === 'ok' && now >= rt.nextApiCheckAt && rt.link) {
        rt.nextApiCheckAt = now + settings.tMainMs;
        void this.apiCheck(rt, settings.checkTimeoutMs);
      }
    }
  }

  private async apiCheck(rt: HostRuntime, timeoutMs: number): Promise<void> {
    const startedAt = this.deps.clock.now();
    try {
      await rt.link!.request('GET', '/v1/info', undefined, Math.max(timeoutMs, 1000));
    } catch (err) {
      if (this.runtimes.get(rt.host.id) !== rt) return;
      // Our own event loop stalled while the check was out: its timeout says nothing about the agent (the same
      // reasoning as the deferred tick). The next check, one tMain later, asks again.
      if (this.lastStallAt >= startedAt) {
        this.deps.log('warn', 'API check failed while the console itself stalled; not held against the host', { host: rt.host.name, error: (err as Error).message });
        return;
      }
      this.feed(rt, { type: 'api-check-failed', at: this.deps.clock.now(), error: (err as Error).message });
    }
  }

  private updateFleetStatus(now: number, suspectAfterMs: number): void {
    let monitored = 0;
    let silent = 0;
    for (const rt of this.runtimes.values()) {
      if (rt.host.role === 'maintenance' || rt.health.lastHeartbeatAt === null) continue;
      monitored++;
      if (now - rt.health.lastHeartbeatAt >= suspectAfterMs) silent++;
    }
    const isolated = consoleIsolated({ monitored, silent });
    const next = { isolated, monitored, silent };
    if (!isolated && this.status.isolated) {
      // Hosts come back one by one after an isolation: none may be declared down on rounds counted while isolated.
      for (const rt of this.runtimes.values()) this.feed(rt, { type: 'reconfirm', at: now });
    }
    if (isolated !== this.status.isolated) {
      this.deps.journal.append({
        kind: isolated ? 'console.isolated' : 'console.reconnected',
        severity: isolated ? 'critical' : 'info',
        message: isolated
          ? `console isolated: ${silent} of ${monitored} hosts went silent at once — suspecting the console's own network; nothing will be failed over`
          : 'console hears the fleet again; failure detection is back to normal',
        data: next,
      });
    }
    if (isolated !== this.status.isolated || silent !== this.status.silent || monitored !== this.status.monitored) {
      this.status = next;
      this.deps.emit({ type: 'fleet.status', payload: next });
    }
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const hosts = [...this.dirty].flatMap((id) => {
      const rt = this.runtimes.get(id);
      return rt ? [this.viewOf(rt)] : [];
    });
    this.dirty.clear();
    this.deps.emit({ type: 'hosts.changed', payload: { hosts } });
  }

  private openLink(rt: HostRuntime): void {
    rt.link = this.deps.connect(
      { address: rt.host.address, token: rt.host.token },
      {
        onState: (state, error) => this.linkChanged(rt, state, error),
        onMessage: (message, at) => this.onAgentMessage(rt, message, at),
        onRejected: (reason) => this.onRejected(rt, reason),
      },
    );
  }

  private linkChanged(rt: HostRuntime, state: LinkState, error: string | null): void {
    const before = rt.linkState;
    rt.linkState = state;
    rt.linkError = error;
    this.dirty.add(rt.host.id);
    if (state === before) return;
    if (state === 'auth-failed' || state === 'incompatible') {
      this.deps.journal.append({ kind: `host.${state}`, severity: 'major', hostId: rt.host.id, message: `${rt.host.name}: ${error ?? state}` });
    }
    if (state === 'connected') rt.link?.send({ type: 'configure', heartbeatMs: this.deps.settings().health.heartbeatMs, channelDeltas: true });
    for (const listener of this.linkListeners) listener(rt, before, state);
  }

  private onAgentMessage(rt: HostRuntime, message: AgentMessage, at: number): void {
    if (message.type === 'rejected') {
      this.deps.journal.append({ kind: 'agent.rejected', severity: 'warning', hostId: rt.host.id, message: `${rt.host.name} rejected a console message: ${message.reason}` });
      return;
    }
    if (message.type === 'hello') {
      rt.agentVersion = message.version;
      rt.agentRoles = message.roles;
      rt.agentEpoch = message.epoch;
      this.dirty.add(rt.host.id);
    } else {
      if (message.status.system) {
        rt.system = summarize(message.status.system);
        this.metrics.record(rt.host.id, 'cpuPct', at, rt.system.cpuPct);
        this.metrics.record(rt.host.id, 'memPct', at, rt.system.memPct);
      }
      for (const event of message.events) {
        this.deps.journal.append({ kind: `agent.${event.kind}`, severity: 'info', hostId: rt.host.id, message: `${rt.host.name}: ${event.message}` });
      }
    }
    if (at - rt.figuresSentAt >= HOST_FIGURES_EVERY_MS) {
      rt.figuresSentAt = at;
      this.dirty.add(rt.host.id);
    }
    this.feed(rt, { type: 'heartbeat', at });
    for (const listener of this.messageListeners) listener(rt, message, at);
  }

  private onRejected(rt: HostRuntime, reason: string): void {
    rt.rejected.count++;
    const now = this.deps.clock.now();
    this.deps.log('warn', 'rejected agent message', { host: rt.host.name, reason });
    if (now - rt.rejected.lastJournalAt < REJECT_JOURNAL_EVERY_MS) return;
    this.deps.journal.append({
      kind: 'agent.message-rejected',
      severity: 'warning',
      hostId: rt.host.id,
      message: `rejected a malformed message from ${rt.host.name}: ${reason}`,
      data: { reason, rejectedSoFar: rt.rejected.count },
    });
    rt.rejected.lastJournalAt = now;
  }
}

/** May this host be asked to probe another (a healthy peer with its stream up)? */
function canVouch(p: HostRuntime): boolean {
  return p.health.state === 'ok' && p.linkState === 'connected' && p.link !== null;
}

function summarize(s: SystemStatus): SystemSummary {
  return {
    hostname: s.hostname,
    cpuPct: round1(s.cpuPct),
    memPct: s.memTotalBytes > 0 ? round1((100 * s.memUsedBytes) / s.memTotalBytes) : 0,
    memUsedBytes: s.memUsedBytes,
    memTotalBytes: s.memTotalBytes,
    diskMaxPct: round1(Math.max(0, ...s.disks.map((d) => d.usedPct))),
    cpuCores: s.cpuCores,
    uptimeSec: s.uptimeSec,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
