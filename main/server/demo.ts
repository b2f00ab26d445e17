import type { DemoPlant } from '../../agents/lab/demo-plant';
import type { TallyConsole } from '../core/console';
import type { CallContext } from '../core/api';

const SYSTEM: CallContext = { access: 'operator', operator: 'demo plant', transport: 'http' };

/** Makes the console's inventory match the running demo plant: adds missing hosts, fixes addresses and tokens. */
export async function syncInventoryWithPlant(engine: TallyConsole, plant: DemoPlant): Promise<void> {
  const existing = await engine.handlers.queries['hosts.list']({}, SYSTEM);
  for (const host of plant.hosts) {
    const spec = { name: host.name, address: host.address, token: host.token, kind: host.kind, role: host.role, group: host.group };
    const match = existing.find((h) => h.name === host.name);
    if (!match) await engine.handlers.commands['host.add'](spec, SYSTEM);
    else if (match.address !== host.address) await engine.handlers.commands['host.update']({ id: match.id, patch: { address: host.address, token: host.token } }, SYSTEM);
  }
}
