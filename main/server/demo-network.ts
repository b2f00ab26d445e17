/**
 * Puts the demo plant's origins rule, switch and uplinks into the console: the lab snmpd as switch `lab-switch` (its
 * port and community change with every start, so they are brought up to date), every demo host's uplink on its `lo`,
 * and the demo streams' own minOrigins — each only where an operator has not already recorded something.
 */
import { DEMO_STREAMS, type DemoExtras } from '../../agents/lab/demo-extras';
import type { DemoPlant } from '../../agents/lab/demo-plant';
import type { CallContext } from '../core/api';
import type { TallyConsole } from '../core/console';

const SYSTEM: CallContext = { access: 'operator', operator: 'demo plant', transport: 'http' };

export async function syncDemoNetwork(engine: TallyConsole, plant: DemoPlant, extras: DemoExtras): Promise<void> {
  const { queries, commands } = engine.handlers;
  if (extras.origins.length > 0) {
    const { settings } = await queries['origins.overview']({}, SYSTEM);
    for (const s of DEMO_STREAMS) {
      const key = `${s.app}/${s.name}`;
      if (s.minOrigins !== undefined && settings.minOriginsByStream[key] === undefined) {
        await commands['origins.rules.update']({ stream: { key, minOrigins: s.minOrigins } }, SYSTEM);
      }
    }
  }
  if (!extras.switch) return;
  const spec = extras.switch.switchSpec();
  const { switches } = await queries['network.overview']({}, SYSTEM);
  // The default 5 s poll: snmpd refreshes its interface counters only every few seconds, faster polls read zeros.
  if (!switches.some((s) => s.id === spec.id)) await commands['switch.add']({ ...spec, pollMs: 5000, timeoutMs: 1000, retries: 1, icmp: true }, SYSTEM);
  else await commands['switch.update']({ id: spec.id, patch: { address: spec.address, snmpPort: spec.snmpPort, community: spec.community } }, SYSTEM);

  const hosts = await queries['hosts.list']({}, SYSTEM);
  const linked = new Set((await queries['network.overview']({}, SYSTEM)).hosts.filter((h) => h.uplinks > 0).map((h) => h.hostId));
  for (const uplink of extras.uplinksByName(plant.hosts.map((h) => h.name))) {
    const host = hosts.find((h) => h.name === uplink.hostName);
    if (!host || linked.has(host.id)) continue;
    await commands['host.uplinks.set']({ hostId: host.id, uplinks: [{ switchId: uplink.switchId, port: uplink.port }] }, SYSTEM);
  }
}
