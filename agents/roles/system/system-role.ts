import os from 'node:os';
import si from 'systeminformation';
import type { AgentEvent, SystemStatus } from '../../protocol';
import type { Role, RoleContext } from '../role';

const MAX_DISKS = 64;
const MAX_NICS = 64;

/** Samples CPU, memory, disks and NICs every `sampleMs`; the heartbeat reads the latest sample. */
export function createSystemRole(ctx: RoleContext, sampleMs: number): Role {
  let latest: SystemStatus | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sampling = false;
  let lastError = '';

  async function sample(): Promise<void> {
    if (sampling) return;
    sampling = true;
    try {
      const [load, mem, fs, nets, ifaces] = await Promise.all([
        si.currentLoad(),
        si.mem(),
        si.fsSize(),
        si.networkStats('*'),
        si.networkInterfaces(),
      ]);
      const ifaceList = Array.isArray(ifaces) ? ifaces : [ifaces];
      latest = {
        hostname: os.hostname(),
        cpuPct: clampPct(load.currentLoad),
        cpuCores: Math.max(1, os.cpus().length),
        memUsedBytes: mem.active,
        memTotalBytes: mem.total,
        uptimeSec: os.uptime(),
        disks: fs.slice(0, MAX_DISKS).map((d) => ({
          mount: d.mount,
          sizeBytes: Math.max(0, d.size),
          usedBytes: Math.max(0, d.used),
          usedPct: clampPct(d.use),
        })),
        nics: nets.slice(0, MAX_NICS).map((n) => ({
          name: n.iface,
          up: (ifaceList.find((i) => i.iface === n.iface)?.operstate ?? n.operstate) === 'up' || n.iface === 'lo',
          rxBytesPerSec: Math.max(0, n.rx_sec ?? 0),
          txBytesPerSec: Math.max(0, n.tx_sec ?? 0),
        })),
      };
      lastError = '';
    } catch (err) {
      const message = (err as Error).message;
      if (message !== lastError) ctx.log('warn', 'system sample failed', { error: message });
      lastError = message;
    } finally {
      sampling = false;
    }
  }

  return {
    name: 'system',
    routes: [],
    async start() {
      await sample();
      timer = setInterval(() => void sample(), sampleMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
    status() {
      return latest ? { system: latest } : {};
    },
    drainEvents(): AgentEvent[] {
      return [];
    },
  };
}

function clampPct(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, value));
}
