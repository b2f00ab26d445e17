/**
 * An engine context for unit tests of domain modules: the real fleet monitor, journal and inventory on a fake clock,
 * with the agent links under the test's control (say hello, send heartbeats, go silent). Probes fail and ping answers,
 * so a silent host goes ok → attention → down in 2.7 s of fake time with the default timers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AgentMessage, type AgentStatus, PROTOCOL_VERSION, type RoleName } from '../../../agents/protocol';
import type { CallContext, HostSpecInput, TallyEvent } from '../../../main/core/api';
import { HostSpec } from '../../../main/core/api';
import { FakeClock } from '../../../main/core/clock';
import { DEFAULT_SETTINGS } from '../../../main/core/console';
import type { EngineContext } from '../../../main/core/engine-context';
import type { AgentConnector, LinkHandlers } from '../../../main/core/fleet/agent-link';
import { FleetMonitor } from '../../../main/core/fleet/fleet-monitor';
import { Inventory } from '../../../main/core/fleet/inventory';
import { Prober } from '../../../main/core/health/prober';
import { Journal } from '../../../main/core/journal/journal';
import { memoryStore } from '../../helpers/memory-store';

export const operator: CallContext = { access: 'operator', operator: 'ana', transport: 'http' };

export function moduleHarness(stored: Record<string, unknown> = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-module-'));
  const clock = new FakeClock();
  const store = memoryStore(stored);
  const journal = new Journal(path.join(dataDir, 'journal'), () => clock.now());
  const inventory = new Inventory(store);
  const events: TallyEvent[] = [];
  const logs: string[] = [];
  const links = new Map<string, LinkHandlers>();
  const connect: AgentConnector = (target, handlers) => {
    links.set(target.address, handlers);
    // As a peer asked to probe a suspect, every agent says it cannot reach it either (the suspect is really silent).
    const request = async (_method: string, path: string) => (path === '/v1/probe' ? { api: 'fail', icmp: 'ok', tookMs: 1 } : {}) as never;
    return { state: 'connecting', close: () => void links.delete(target.address), send: () => true, request };
  };
  const emit = (event: TallyEvent) => void events.push(event);
  const log: EngineContext['log'] = (level, message) => void logs.push(`${level}: ${message}`);
  const fleet = new FleetMonitor({
    clock,
    journal,
    connect,
    prober: new Prober({ checkApi: async () => 'fail', ping: async () => 'ok' }),
    settings: () => DEFAULT_SETTINGS,
    emit,
    log,
  });
  // Started at once: the fleet opens a host's link only once it runs.
  fleet.start();
  const ctx: EngineContext = { clock, journal, fleet, inventory, store, dataDir, settings: () => DEFAULT_SETTINGS, emit, log };
  const seq = new Map<string, number>();

  /** Adds a host to the inventory and the fleet, connects it and says hello with its roles. */
  function addHost(spec: Partial<HostSpecInput> & { name: string; ip: string }, roles: RoleName[] = ['system']): string {
    const { ip, ...rest } = spec;
    const host = inventory.add(HostSpec.parse({ address: `${ip}:7411`, token: 't'.repeat(16), ...rest }));
    fleet.attach(host);
    const link = links.get(host.address)!;
    link.onState('connected', null);
    link.onMessage({ type: 'hello', protocol: PROTOCOL_VERSION, agentId: host.name, version: '0.1.0', roles, epoch: 'e', heartbeatMs: 500 }, clock.now());
    return host.id;
  }

  function beat(hostId: string, status: AgentStatus = {}): void {
    const host = inventory.require(hostId);
    const n = (seq.get(hostId) ?? 0) + 1;
    seq.set(hostId, n);
    const message: AgentMessage = { type: 'heartbeat', seq: n, sentAt: clock.now(), status, events: [] };
    links.get(host.address)?.onMessage(message, clock.now());
  }

  /** Moves the fake clock in 100 ms steps, letting promises settle in between; `each` runs every step (heartbeats). */
  async function advance(ms: number, each?: (now: number) => void): Promise<void> {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(Math.min(100, ms - t));
      each?.(clock.now());
      await settle();
    }
  }

  return {
    ctx,
    clock,
    store,
    journal,
    inventory,
    fleet,
    events,
    logs,
    addHost,
    beat,
    advance,
    eventsOf: <K extends TallyEvent['type']>(type: K) => events.filter((e): e is Extract<TallyEvent, { type: K }> => e.type === type),
    cleanup: () => {
      fleet.stop();
      journal.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const settle = () => new Promise((resolve) => setImmediate(resolve));
