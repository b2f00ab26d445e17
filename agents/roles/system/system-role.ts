import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import type { AgentEvent, SystemStatus } from '../../protocol';
import type { Role, RoleContext } from '../role';

const MAX_DISKS = 64;
const MAX_NICS = 64;
/** Disks change slowly: sample them far less often than CPU. */
const DISK_SAMPLE_EVERY = 30;

type Disk = SystemStatus['disks'][number];
type Nic = SystemStatus['nics'][number];

/**
 * CPU, memory and NICs every `sampleMs` from the kernel's own counters (os.cpus(), /proc/net/dev — no processes
 * spawned), disks every 30 samples with statfs over the real filesystems of /proc/mounts (systeminformation off
 * Linux); the heartbeat reads the latest sample. Keeps the agent within its footprint budget (DESIGN §6).
 */
export function createSystemRole(ctx: RoleContext, sampleMs: number): Role {
  let latest: SystemStatus | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sampling = false;
  let lastError = '';
  let count = 0;
  let disks: Disk[] = [];
  let prevCpu = cpuTimes();
  let prevNet: { at: number; byIface: Map<string, { rx: number; tx: number }> } | null = null;

  async function sampleDisks(): Promise<void> {
    disks = (await localDisks()).slice(0, MAX_DISKS);
  }

  async function sampleNics(): Promise<Nic[]> {
    const now = Date.now();
    const byIface = await readNetDev();
    const up = await operstates([...byIface.keys()]);
    const seconds = prevNet ? Math.max(0.001, (now - prevNet.at) / 1000) : 0;
    const nics = [...byIface].slice(0, MAX_NICS).map(([name, c]) => {
      const before = prevNet?.byIface.get(name);
      return {
        name,
        up: name === 'lo' || up.get(name) === 'up',
        rxBytesPerSec: before && seconds ? Math.max(0, (c.rx - before.rx) / seconds) : 0,
        txBytesPerSec: before && seconds ? Math.max(0, (c.tx - before.tx) / seconds) : 0,
      };
    });
    prevNet = { at: now, byIface };
    return nics;
  }

  async function sample(): Promise<void> {
    if (sampling) return;
    sampling = true;
    try {
      if (count++ % DISK_SAMPLE_EVERY === 0) await sampleDisks();
      const cpu = cpuTimes();
      const busy = cpu.busy - prevCpu.busy;
      const total = cpu.total - prevCpu.total;
      prevCpu = cpu;
      latest = {
        hostname: os.hostname(),
        cpuPct: total > 0 ? clampPct((100 * busy) / total) : 0,
        cpuCores: Math.max(1, os.cpus().length),
        memUsedBytes: await memUsedBytes(),
        memTotalBytes: os.totalmem(),
        uptimeSec: os.uptime(),
        disks,
        nics: await sampleNics(),
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

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** Memory in use as the kernel means it (total − available), falling back to total − free off Linux. */
async function memUsedBytes(): Promise<number> {
  try {
    const text = await readFile('/proc/meminfo', 'utf8');
    const available = /^MemAvailable:\s+(\d+) kB/m.exec(text);
    if (available) return Math.max(0, os.totalmem() - Number(available[1]) * 1024);
  } catch {
    // not Linux: the portable figure below
  }
  return os.totalmem() - os.freemem();
}

const PSEUDO_FS = /^(proc|sysfs|tmpfs|devtmpfs|devpts|cgroup2?|securityfs|pstore|bpf|tracefs|debugfs|mqueue|hugetlbfs|fusectl|configfs|autofs|binfmt_misc|rpc_pipefs|nsfs|overlay|squashfs|ramfs|efivarfs|nfs4?|cifs|smb3|ceph|glusterfs|fuse\..*)$/;

/** Mounted local filesystems and their usage: /proc/mounts + statfs on Linux, systeminformation elsewhere. */
async function localDisks(): Promise<Disk[]> {
  let mounts: string;
  try {
    mounts = await readFile('/proc/mounts', 'utf8');
  } catch {
    const si = (await import('systeminformation')).default;
    return (await si.fsSize()).map((d) => ({ mount: d.mount, sizeBytes: Math.max(0, d.size), usedBytes: Math.max(0, d.used), usedPct: clampPct(d.use) }));
  }
  const seen = new Set<string>();
  const out: Disk[] = [];
  for (const line of mounts.split('\n')) {
    const [device, mount, type] = line.split(' ');
    if (!device || !mount || !type || PSEUDO_FS.test(type) || seen.has(device)) continue;
    seen.add(device);
    try {
      const st = await statfs(mount.replace(/\\040/g, ' '));
      const size = st.blocks * st.bsize;
      const used = (st.blocks - st.bfree) * st.bsize;
      // As df does: used over what non-root users can have (used + available).
      const usable = used + st.bavail * st.bsize;
      out.push({ mount, sizeBytes: size, usedBytes: used, usedPct: usable > 0 ? clampPct((100 * used) / usable) : 0 });
    } catch {
      // A mount we may not read (another namespace's, a dead NFS): left out rather than failing the sample.
    }
  }
  return out;
}

/** Byte counters per interface from /proc/net/dev (Linux); empty elsewhere. */
export async function readNetDev(): Promise<Map<string, { rx: number; tx: number }>> {
  const out = new Map<string, { rx: number; tx: number }>();
  let text: string;
  try {
    text = await readFile('/proc/net/dev', 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:\s]+):\s*(\d+)(?:\s+\d+){7}\s+(\d+)/.exec(line);
    if (m) out.set(m[1]!, { rx: Number(m[2]), tx: Number(m[3]) });
  }
  return out;
}

async function operstates(names: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    names.map(async (name) => {
      try {
        out.set(name, (await readFile(`/sys/class/net/${name}/operstate`, 'utf8')).trim());
      } catch {
        out.set(name, 'unknown');
      }
    }),
  );
  return out;
}

function clampPct(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, value));
}
