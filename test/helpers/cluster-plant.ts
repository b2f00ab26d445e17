import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Lab, startLab } from '../../agents/lab/lab';
import { labTranscoderSection, seedLabChannels } from '../../agents/lab/transcoder-lab';
import type { ClusterStatus, FailoverOperation, HostView, JournalEntry } from '../../main/core/api';
import { labOptions } from './agents';
import { consoleApi } from './console-api';
import { type Etcd, startEtcd } from './etcd';
import { startTally, type TallyProcess } from './tally-process';
import { waitFor } from './wait';

export interface Desk {
  name: string;
  dataDir: string;
  tally: TallyProcess;
  api: ReturnType<typeof consoleApi>;
  /** Host name → this console's id for it (each console names hosts in its own inventory). */
  ids: Record<string, string>;
}

export interface ClusterPlantHost {
  name: string;
  ip: string;
  role: 'main' | 'reserve';
  channels: string[];
}

/** A real etcd, real transcoder agents, and several real `tally serve` consoles campaigning through etcd. */
export interface ClusterPlant {
  etcd: Etcd;
  lab: Lab;
  desks: Desk[];
  status(d: Desk): Promise<ClusterStatus>;
  channelsOn(d: Desk, host: string): Promise<Map<string, { name: string; state: string; epoch: number | null; pid: number | null }>>;
  journal(d: Desk): Promise<JournalEntry[]>;
  operations(d: Desk): Promise<FailoverOperation[]>;
  hosts(d: Desk): Promise<HostView[]>;
  /** Waits until every console names the same leader and exactly that one automates. */
  leaderOf(timeoutMs?: number): Promise<{ leader: Desk; standbys: Desk[] }>;
  /** Starts a desk's console again on its data folder (after a kill). */
  restart(d: Desk): Promise<void>;
  stop(): Promise<void>;
}

export async function startClusterPlant(prefix: string, hosts: ClusterPlantHost[], deskNames: string[], ttlSec: number): Promise<ClusterPlant> {
  const opts = labOptions(prefix);
  const etcd = await startEtcd();
  const lab = await startLab(
    hosts.map((h) => {
      const section = labTranscoderSection(opts.dir, h.name);
      seedLabChannels(section.channelsDir, h.channels);
      return { name: h.name, ip: h.ip, roles: ['system', 'transcoder'], extra: { transcoder: section } };
    }),
    opts,
  );
  const desks: Desk[] = [];
  const startDesk = (d: Pick<Desk, 'name' | 'dataDir'>) =>
    startTally(['serve', '--data', d.dataDir, '--port', '0', '--etcd', etcd.endpoint, '--name', d.name, '--lease-ttl', String(ttlSec)], {});
  const status = (d: Desk) => d.api<ClusterStatus>('query', 'cluster.status', {});
  const plant: ClusterPlant = {
    etcd,
    lab,
    desks,
    status,
    channelsOn: async (d, host) =>
      new Map((await d.api<{ status: { name: string; state: string; epoch: number | null; pid: number | null } }[]>('query', 'channels.list', { hostId: d.ids[host] })).map((c) => [c.status.name, c.status])),
    journal: (d) => d.api<JournalEntry[]>('query', 'journal.recent', { limit: 1000 }),
    operations: (d) => d.api<FailoverOperation[]>('query', 'failover.operations', { limit: 200 }),
    hosts: (d) => d.api<HostView[]>('query', 'hosts.list', {}),
    leaderOf: (timeoutMs = 20_000) =>
      waitFor('one leader that every console names', async () => {
        const all = await Promise.all(desks.map(async (d) => ({ d, s: await status(d) })));
        const leading = all.filter((x) => x.s.automating);
        if (leading.length !== 1 || !all.every((x) => x.s.leader === leading[0]!.d.name)) return undefined;
        return { leader: leading[0]!.d, standbys: all.filter((x) => x !== leading[0]).map((x) => x.d) };
      }, timeoutMs, 50),
    async restart(d) {
      d.tally = await startDesk(d);
    },
    async stop() {
      for (const d of desks) await d.tally?.stop();
      await lab.stop();
      await etcd.stop();
      opts.cleanup();
      for (const d of desks) rmSync(d.dataDir, { recursive: true, force: true });
    },
  };
  try {
    for (const name of deskNames) {
      const desk = { name, dataDir: mkdtempSync(path.join(os.tmpdir(), `tally-${prefix}-${name}-`)), ids: {} } as unknown as Desk;
      desk.tally = await startDesk(desk);
      desk.api = consoleApi(() => desk.tally, `${name}-operator`);
      desks.push(desk);
      for (const [i, h] of hosts.entries()) {
        const agent = lab.agents[i]!;
        const view = await desk.api<HostView>('command', 'host.add', { name: h.name, address: agent.address, token: agent.token, kind: 'transcoder', role: h.role, group: '' });
        desk.ids[h.name] = view.id;
      }
    }
    for (const desk of desks) {
      for (const h of hosts.filter((x) => x.channels.length > 0)) {
        await waitFor(`${desk.name} sees ${h.name}'s channels running with snapshots`, async () => {
          const channels = await plant.channelsOn(desk, h.name);
          if (!h.channels.every((c) => channels.get(c)?.state === 'running')) return false;
          const preview = await desk.api<{ possible: boolean; summary: string }>('query', 'failover.preview', { hostId: desk.ids[h.name] });
          if (!preview.possible) throw new Error(preview.summary);
          return true;
        }, 40_000, 250);
      }
    }
  } catch (err) {
    await plant.stop();
    throw err;
  }
  return plant;
}
