/**
 * Composition root: builds the engine from settings and ports (clock, store, agent connector, prober) and exposes it
 * as the handler map of api.ts plus an event stream. Domain logic lives in the folders; this file only wires them.
 */
import path from 'node:path';
import { type CallContext, type Handlers, type HostView, Settings, type TallyEvent } from './api';
import { createAlertsModule } from './alerts/alerts-module';
import { type Clock, systemClock } from './clock';
import { ApiError, describeInputError } from './dispatch';
import { type AgentConnector, createWsConnector } from './fleet/agent-link';
import { createFindingsModule } from './findings/findings-module';
import { FleetMonitor } from './fleet/fleet-monitor';
import { Inventory } from './fleet/inventory';
import { createRealProberPorts, Prober, type ProberPorts } from './health/prober';
import { Journal } from './journal/journal';
import { createNetworkModule } from './network/network-module';
import { createOriginsModule } from './origins/origins-module';
import { createArchiveModule } from './archive/archive-module';
import { createTranscodersModule } from './transcoders/transcoders-module';
import { createFailoverModule } from './failover/failover-module';
import { type ClusterSettings, createCluster } from './cluster/cluster-module';
import type { EngineContext, EngineModule, LogFn } from './engine-context';
import type { KeyValueStore } from './store/store';

export const DEFAULT_SETTINGS: Settings = {
  // Chosen to meet DESIGN §6: a pause under 2 s never fails a host over (window 2.7 s), detection ≤ 3 s.
  health: { heartbeatMs: 500, suspectAfterMs: 1200, tAddMs: 500, confirmChecks: 3, checkTimeoutMs: 400, tMainMs: 5000 },
  wall: { displayId: null, rotateSec: 20 },
};

export type { LogFn } from './engine-context';

type Lifecycle = Pick<EngineModule, 'start' | 'stop'>;

export interface ConsoleDeps {
  store: KeyValueStore;
  dataDir: string;
  clock?: Clock;
  connect?: AgentConnector;
  /** API check and ICMP for probe rounds; the real ones by default. */
  proberPorts?: ProberPorts;
  log?: LogFn;
  /** Several consoles: campaign through etcd for the right to automate. Absent: this console leads alone. */
  cluster?: ClusterSettings | null;
}

export interface TallyConsole {
  readonly handlers: Handlers;
  readonly journal: Journal;
  readonly fleet: FleetMonitor;
  subscribe(listener: (event: TallyEvent) => void): () => void;
  start(): void;
  stop(): Promise<void>;
  /** For tests and diagnostics: the current view of one host. */
  hostView(id: string): HostView | undefined;
}

export function createConsole(deps: ConsoleDeps): TallyConsole {
  const clock = deps.clock ?? systemClock;
  const log: LogFn = deps.log ?? (() => {});
  const journal = new Journal(path.join(deps.dataDir, 'journal'), () => clock.now());
  const inventory = new Inventory(deps.store);
  const listeners = new Set<(event: TallyEvent) => void>();
  let settings = loadSettings(deps.store);

  const emit = (event: TallyEvent) => {
    for (const listener of listeners) listener(event);
  };
  journal.onAppend((entry) => emit({ type: 'journal.appended', payload: { entry } }));

  const fleet = new FleetMonitor({
    clock,
    journal,
    connect: deps.connect ?? createWsConnector(clock),
    prober: new Prober(deps.proberPorts ?? createRealProberPorts()),
    settings: () => settings,
    emit,
    log,
  });
  for (const host of inventory.list()) fleet.attach(host);

  const ctx: EngineContext = { clock, journal, fleet, inventory, store: deps.store, dataDir: deps.dataDir, settings: () => settings, emit, log };
  // Domain modules, one line each here; their handlers are spread into the map below (`...module.queries`), and they
  // are listed in `domains` so their start/stop run with the console's.
  const domains: Lifecycle[] = [];
  const cluster = createCluster(ctx, deps.cluster ?? null);
  domains.push(cluster);
  const alerts = createAlertsModule(ctx);
  domains.push(alerts);
  const findings = createFindingsModule(ctx, { alerts: (event) => alerts.runner.send(event) });
  domains.push(findings);
  const transcoders = createTranscodersModule(ctx, { findings });
  domains.push(transcoders);
  const origins = createOriginsModule(ctx, { findings });
  domains.push(origins);
  const archive = createArchiveModule(ctx, { findings, mayAutomate: () => cluster.mayAutomate() });
  domains.push(archive);
  const network = createNetworkModule(ctx, { findings, originMatrix: () => origins.matrix() });
  domains.push(network);
  const failover = createFailoverModule(ctx, { transcoders, isUnreachable: (id) => network.isUnreachable(id), cluster });
  domains.push(failover);

  const requireView = (id: string): HostView => {
    inventory.require(id);
    return fleet.view(id)!;
  };

  const handlers: Handlers = {
    queries: {
      'session.get': async (_input, ctx) => ({ access: ctx.access, operator: ctx.operator, transport: ctx.transport }),
      'hosts.list': async () => fleet.views(),
      'host.metrics': async ({ id, metric }) => {
        requireView(id);
        return fleet.readMetric(id, metric);
      },
      'journal.recent': async ({ limit }) => journal.recent(limit),
      'settings.get': async () => settings,
      'fleet.status': async () => fleet.fleetStatus(),
      // domain queries:
      ...transcoders.queries,
      ...failover.queries,
      ...cluster.queries,
      ...findings.queries,
      ...origins.queries,
      ...archive.queries,
      ...network.queries,
      ...alerts.queries,
    },
    commands: {
      'host.add': async (spec, ctx) => {
        const host = inventory.add(spec);
        fleet.attach(host);
        journal.append({ kind: 'host.added', hostId: host.id, operator: ctx.operator, message: `${actor(ctx)} added host ${host.name} (${host.address})` });
        return fleet.view(host.id)!;
      },
      'host.update': async ({ id, patch }, ctx) => {
        const host = inventory.update(id, patch);
        fleet.replace(host);
        journal.append({ kind: 'host.updated', hostId: id, operator: ctx.operator, message: `${actor(ctx)} changed ${Object.keys(patch).join(', ') || 'nothing'} of host ${host.name}` });
        return fleet.view(id)!;
      },
      'host.remove': async ({ id }, ctx) => {
        const host = inventory.remove(id);
        fleet.detach(id);
        emit({ type: 'host.removed', payload: { id } });
        journal.append({ kind: 'host.removed', hostId: id, operator: ctx.operator, message: `${actor(ctx)} removed host ${host.name} (${host.address})` });
        return { removed: id };
      },
      'journal.note': async ({ text }, ctx) => journal.append({ kind: 'note', operator: ctx.operator, message: text }),
      'settings.update': async (patch, ctx) => {
        const next = Settings.safeParse({ ...settings, ...patch });
        if (!next.success) throw new ApiError('bad-input', describeInputError(next.error));
        const heartbeatChanged = next.data.health.heartbeatMs !== settings.health.heartbeatMs;
        settings = next.data;
        deps.store.set('settings', settings);
        if (heartbeatChanged) fleet.configureAgents();
        emit({ type: 'settings.changed', payload: { settings } });
        journal.append({ kind: 'settings.updated', operator: ctx.operator, message: `${actor(ctx)} changed settings: ${Object.keys(patch).join(', ')}`, data: { settings } });
        return settings;
      },
      // domain commands:
      ...transcoders.commands,
      ...failover.commands,
      ...cluster.commands,
      ...findings.commands,
      ...origins.commands,
      ...archive.commands,
      ...network.commands,
      ...alerts.commands,
    },
  };


  return {
    handlers,
    journal,
    fleet,
    hostView: (id) => fleet.view(id),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      fleet.start();
      for (const m of domains) m.start?.();
      journal.append({ kind: 'console.started', message: `console started watching ${fleet.all().length} hosts` });
    },
    async stop() {
      for (const m of domains) await m.stop?.();
      fleet.stop();
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
