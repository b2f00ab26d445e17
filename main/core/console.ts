/**
 * Composition root: builds the engine from settings and ports (clock, store, agent connector) and exposes it as the
 * handler map of api.ts plus an event stream. Domain logic lives in the folders; this file wires them together.
 */
import path from 'node:path';
import type { AgentMessage, SystemStatus } from '../../agents/protocol';
import {
  type CallContext,
  type Handlers,
  type Host,
  type HostView,
  type LinkState,
  type MetricName,
  Settings,
  type SystemSummary,
  type TallyEvent,
} from './api';
import { type Clock, systemClock } from './clock';
import { ApiError, describeInputError } from './dispatch';
import { type AgentConnector, type AgentLink, createWsConnector } from './fleet/agent-link';
import { Inventory } from './fleet/inventory';
import { type HostHealth, initialHealth, nextHealth } from './health/detector';
import { Journal } from './journal/journal';
import { MetricStore } from './metrics/ring-buffer';
import type { KeyValueStore } from './store/store';

export const DEFAULT_SETTINGS: Settings = {
  health: { heartbeatMs: 500, suspectAfterMs: 1500, downAfterMs: 3000 },
  wall: { displayId: null, rotateSec: 20 },
};

const TICK_MS = 100;
const FLUSH_MS = 250;
const METRIC_CAPACITY = 600; // 10 minutes at one sample a second
const METRIC_SPACING_MS = 1000;
const REJECT_JOURNAL_EVERY_MS = 10_000;

export type LogFn = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface ConsoleDeps {
  store: KeyValueStore;
  dataDir: string;
  clock?: Clock;
  connect?: AgentConnector;
  log?: LogFn;
}

export interface TallyConsole {
  readonly handlers: Handlers;
  readonly journal: Journal;
  subscribe(listener: (event: TallyEvent) => void): () => void;
  start(): void;
  stop(): Promise<void>;
  /** For tests and diagnostics: the current view of one host. */
  hostView(id: string): HostView | undefined;
}

interface HostRuntime {
  host: Host;
  link: AgentLink | null;
  linkState: LinkState;
  linkError: string | null;
  health: HostHealth;
  agentVersion: string | null;
  agentRoles: string[];
  system: SystemSummary | null;
  rejected: { count: number; lastJournalAt: number };
}

export function createConsole(deps: ConsoleDeps): TallyConsole {
  const clock = deps.clock ?? systemClock;
  const log: LogFn = deps.log ?? (() => {});
  const connect = deps.connect ?? createWsConnector(clock);
  const journal = new Journal(path.join(deps.dataDir, 'journal'), () => clock.now());
  const inventory = new Inventory(deps.store);
  const metrics = new MetricStore<MetricName>(METRIC_CAPACITY, METRIC_SPACING_MS);
  const listeners = new Set<(event: TallyEvent) => void>();
  const runtimes = new Map<string, HostRuntime>();
  const dirty = new Set<string>();
  const timers: { cancel(): void }[] = [];
  let settings = loadSettings(deps.store);
  let started = false;

  const emit = (event: TallyEvent) => {
    for (const listener of listeners) listener(event);
  };
  journal.onAppend((entry) => emit({ type: 'journal.appended', payload: { entry } }));

  function viewOf(rt: HostRuntime): HostView {
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
      link: rt.linkState,
      linkError: rt.linkError,
      agentVersion: rt.agentVersion,
      agentRoles: rt.agentRoles,
      lastHeartbeatAt: rt.health.lastHeartbeatAt,
      system: rt.system,
    };
  }

  function applyHealth(rt: HostRuntime, next: HostHealth): void {
    const before = rt.health.state;
    rt.health = next;
    if (next.state === before) return;
    dirty.add(rt.host.id);
    const severity = next.state === 'down' ? 'critical' : next.state === 'attention' ? 'warning' : 'info';
    journal.append({
      kind: 'host.health',
      severity,
      hostId: rt.host.id,
      message: `${rt.host.name} is ${next.state} (was ${before})`,
      data: { from: before, to: next.state },
    });
  }

  function onAgentMessage(rt: HostRuntime, message: AgentMessage, at: number): void {
    if (message.type === 'hello') {
      rt.agentVersion = message.version;
      rt.agentRoles = message.roles;
      dirty.add(rt.host.id);
      applyHealth(rt, nextHealth(rt.health, { type: 'heartbeat', at }, settings.health));
      return;
    }
    if (message.type === 'rejected') {
      journal.append({ kind: 'agent.rejected', severity: 'warning', hostId: rt.host.id, message: `${rt.host.name} rejected a console message: ${message.reason}` });
      return;
    }
    applyHealth(rt, nextHealth(rt.health, { type: 'heartbeat', at }, settings.health));
    if (message.status.system) {
      rt.system = summarize(message.status.system);
      metrics.record(rt.host.id, 'cpuPct', at, rt.system.cpuPct);
      metrics.record(rt.host.id, 'memPct', at, rt.system.memPct);
    }
    for (const event of message.events) {
      journal.append({ kind: `agent.${event.kind}`, severity: 'info', hostId: rt.host.id, message: `${rt.host.name}: ${event.message}` });
    }
    dirty.add(rt.host.id);
  }

  function onRejected(rt: HostRuntime, reason: string): void {
    rt.rejected.count++;
    const now = clock.now();
    log('warn', 'rejected agent message', { host: rt.host.name, reason });
    if (now - rt.rejected.lastJournalAt < REJECT_JOURNAL_EVERY_MS) return;
    journal.append({
      kind: 'agent.message-rejected',
      severity: 'warning',
      hostId: rt.host.id,
      message: `rejected a malformed message from ${rt.host.name}: ${reason}`,
      data: { reason, rejectedSoFar: rt.rejected.count },
    });
    rt.rejected.lastJournalAt = now;
  }

  function attach(host: Host): HostRuntime {
    const rt: HostRuntime = {
      host,
      link: null,
      linkState: 'connecting',
      linkError: null,
      health: initialHealth(clock.now()),
      agentVersion: null,
      agentRoles: [],
      system: null,
      rejected: { count: 0, lastJournalAt: -Infinity },
    };
    runtimes.set(host.id, rt);
    if (started) openLink(rt);
    dirty.add(host.id);
    return rt;
  }

  function openLink(rt: HostRuntime): void {
    rt.link = connect(
      { address: rt.host.address, token: rt.host.token },
      {
        onState: (state, error) => {
          const before = rt.linkState;
          rt.linkState = state;
          rt.linkError = error;
          dirty.add(rt.host.id);
          if (state === before) return;
          if (state === 'auth-failed' || state === 'incompatible') {
            journal.append({ kind: `host.${state}`, severity: 'major', hostId: rt.host.id, message: `${rt.host.name}: ${error ?? state}` });
          } else if (state === 'disconnected' && before === 'connected') {
            applyHealth(rt, nextHealth(rt.health, { type: 'link-lost', at: clock.now() }, settings.health));
          }
        },
        onMessage: (message, at) => onAgentMessage(rt, message, at),
        onRejected: (reason) => onRejected(rt, reason),
      },
    );
  }

  function detach(id: string): void {
    const rt = runtimes.get(id);
    rt?.link?.close();
    runtimes.delete(id);
    metrics.forget(id);
    dirty.delete(id);
  }

  function requireRuntime(id: string): HostRuntime {
    inventory.require(id);
    return runtimes.get(id)!;
  }

  for (const host of inventory.list()) attach(host);

  const handlers: Handlers = {
    queries: {
      'session.get': async (_input, ctx) => ({ access: ctx.access, operator: ctx.operator, transport: ctx.transport }),
      'hosts.list': async () => [...runtimes.values()].map(viewOf),
      'host.metrics': async ({ id, metric }) => {
        requireRuntime(id);
        return metrics.read(id, metric);
      },
      'journal.recent': async ({ limit }) => journal.recent(limit),
      'settings.get': async () => settings,
    },
    commands: {
      'host.add': async (spec, ctx) => {
        const host = inventory.add(spec);
        const rt = attach(host);
        journal.append({ kind: 'host.added', hostId: host.id, operator: ctx.operator, message: `${actor(ctx)} added host ${host.name} (${host.address})` });
        return viewOf(rt);
      },
      'host.update': async ({ id, patch }, ctx) => {
        const before = inventory.require(id);
        const host = inventory.update(id, patch);
        const reconnect = host.address !== before.address || host.token !== before.token;
        const changed = Object.keys(patch).join(', ');
        let rt = runtimes.get(id)!;
        if (reconnect) {
          detach(id);
          rt = attach(host);
        } else {
          rt.host = host;
          dirty.add(id);
        }
        journal.append({ kind: 'host.updated', hostId: id, operator: ctx.operator, message: `${actor(ctx)} changed ${changed || 'nothing'} of host ${host.name}` });
        return viewOf(rt);
      },
      'host.remove': async ({ id }, ctx) => {
        const host = inventory.remove(id);
        detach(id);
        emit({ type: 'host.removed', payload: { id } });
        journal.append({ kind: 'host.removed', hostId: id, operator: ctx.operator, message: `${actor(ctx)} removed host ${host.name} (${host.address})` });
        return { removed: id };
      },
      'journal.note': async ({ text }, ctx) => journal.append({ kind: 'note', operator: ctx.operator, message: text }),
      'settings.update': async (patch, ctx) => {
        const next = Settings.safeParse({ ...settings, ...patch });
        if (!next.success) throw new ApiError('bad-input', describeInputError(next.error));
        settings = next.data;
        deps.store.set('settings', settings);
        emit({ type: 'settings.changed', payload: { settings } });
        journal.append({ kind: 'settings.updated', operator: ctx.operator, message: `${actor(ctx)} changed settings: ${Object.keys(patch).join(', ')}` });
        return settings;
      },
    },
  };

  return {
    handlers,
    journal,
    hostView: (id) => {
      const rt = runtimes.get(id);
      return rt ? viewOf(rt) : undefined;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (started) return;
      started = true;
      for (const rt of runtimes.values()) openLink(rt);
      timers.push(
        clock.setInterval(() => {
          const now = clock.now();
          for (const rt of runtimes.values()) applyHealth(rt, nextHealth(rt.health, { type: 'tick', now }, settings.health));
        }, TICK_MS),
        clock.setInterval(() => {
          if (dirty.size === 0) return;
          const hosts = [...dirty].flatMap((id) => {
            const rt = runtimes.get(id);
            return rt ? [viewOf(rt)] : [];
          });
          dirty.clear();
          emit({ type: 'hosts.changed', payload: { hosts } });
        }, FLUSH_MS),
      );
      journal.append({ kind: 'console.started', message: `console started watching ${runtimes.size} hosts` });
    },
    async stop() {
      for (const t of timers) t.cancel();
      for (const rt of runtimes.values()) rt.link?.close();
      journal.append({ kind: 'console.stopped', message: 'console stopped' });
      journal.close();
    },
  };
}

function actor(ctx: CallContext): string {
  return ctx.operator ?? 'an operator';
}

function loadSettings(store: KeyValueStore): Settings {
  const raw = store.get('settings');
  if (raw === undefined) return DEFAULT_SETTINGS;
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) throw new Error(`settings in ${store.path} are invalid (${describeInputError(parsed.error)}); left as they are`);
  return parsed.data;
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
