import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabAgent } from '../../agents/lab/lab';
import { type Lab, startLab } from '../../agents/lab/lab';
import { labTranscoderSection, seedLabChannels } from '../../agents/lab/transcoder-lab';
import type { CallContext } from '../../main/core/api';
import { createConsole, type TallyConsole } from '../../main/core/console';
import { createConfStore } from '../../main/core/store/conf-store';
import { labOptions } from './agents';
import { waitFor } from './wait';

export const OP: CallContext = { access: 'operator', operator: 'test', transport: 'http' };

export interface PlantHost {
  name: string;
  ip: string;
  role: 'main' | 'reserve';
  channels: string[];
  /** Run the agent under a command, e.g. in a network namespace. */
  wrap?: string[];
}

export interface TranscoderPlant {
  lab: Lab;
  engine: TallyConsole;
  ids: Record<string, string>;
  labDir: string;
  dataDir: string;
  agent(name: string): LabAgent;
  hlsDir(host: string, channel: string): string;
  /** Channels a host reports (name → status), from the console's view. */
  channels(host: string): Promise<Map<string, { state: string; pid: number | null; epoch: number | null }>>;
  /** SIGSTOP/SIGCONT the host's agent and every ffmpeg it runs: a silent host failure. */
  freeze(host: string): Promise<number[]>;
  thaw(pids: number[]): void;
  restartConsole(): Promise<void>;
  stop(): Promise<void>;
}

/** Real transcoder agents with lavfi channels and the real console engine, wired as in production. */
export async function startTranscoderPlant(prefix: string, hosts: PlantHost[], fps = 10): Promise<TranscoderPlant> {
  const opts = labOptions(prefix);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `tally-${prefix}-console-`));
  const lab = await startLab(
    hosts.map((h) => {
      const section = labTranscoderSection(opts.dir, h.name);
      seedLabChannels(section.channelsDir, h.channels, fps);
      return { name: h.name, ip: h.ip, roles: ['system', 'transcoder'], extra: { transcoder: section }, ...(h.wrap ? { wrap: h.wrap } : {}) };
    }),
    opts,
  );
  const ids: Record<string, string> = {};
  let engine = createConsole({ store: createConfStore(dataDir), dataDir });
  engine.start();
  for (const [i, h] of hosts.entries()) {
    const agent = lab.agents[i]!;
    const view = await engine.handlers.commands['host.add']({ name: h.name, address: agent.address, token: agent.token, kind: 'transcoder', role: h.role, group: 'transcoders' }, OP);
    ids[h.name] = view.id;
  }
  const plant: TranscoderPlant = {
    lab,
    get engine() {
      return engine;
    },
    ids,
    labDir: opts.dir,
    dataDir,
    agent: (name) => lab.agents[hosts.findIndex((h) => h.name === name)]!,
    hlsDir: (host, channel) => path.join(opts.dir, host, 'hls', channel),
    async channels(host) {
      const list = await engine.handlers.queries['channels.list']({ hostId: ids[host] }, OP);
      return new Map(list.map((c) => [c.status.name, { state: c.status.state, pid: c.status.pid, epoch: c.status.epoch }]));
    },
    async freeze(host) {
      const agent = plant.agent(host);
      const ffmpegs = [...(await plant.channels(host)).values()].map((c) => c.pid).filter((p): p is number => p !== null);
      const pids = [agent.pid(), ...ffmpegs];
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      return pids;
    },
    thaw(pids) {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          /* already gone: fenced and removed */
        }
      }
    },
    async restartConsole() {
      await engine.stop();
      engine = createConsole({ store: createConfStore(dataDir), dataDir });
      engine.start();
    },
    async stop() {
      await engine.stop();
      await lab.stop();
      opts.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return plant;
}

/** Every named channel running on the host, with a stored valid snapshot (what failover needs). */
export async function waitChannelsReady(plant: TranscoderPlant, host: string, names: string[], timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `${names.join(', ')} running on ${host} with snapshots`,
    async () => {
      const channels = await plant.channels(host);
      if (!names.every((n) => channels.get(n)?.state === 'running')) return false;
      for (const n of names) {
        const history = await plant.engine.handlers.queries['channel.history']({ hostId: plant.ids[host]!, channel: n }, OP);
        if (!history.entries.some((e) => e.valid)) return false;
      }
      return true;
    },
    timeoutMs,
    200,
  );
}

export function segmentsIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.ts') || f.endsWith('.m4s'));
  } catch {
    return [];
  }
}
