/**
 * The agent simulator as a real process (agents/sim/main.ts, 100 agents in 3 worker processes) against a real console
 * (`tally serve`): every simulated host comes up healthy with its channels; freezing one worker (SIGSTOP) takes its
 * hosts attention → down through the normal detector path while the rest stay ok, and SIGCONT brings them back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostView } from '../../main/core/api';
import type { ChannelView } from '../../main/core/transcoders/transcoders-contract';
import { consoleApi, type SimProcess, startSim } from '../helpers/sim-process';
import { startTally, type TallyProcess } from '../helpers/tally-process';
import { waitFor } from '../helpers/wait';

const AGENTS = 100;
const CHANNELS = 5;

describe('simulated fleet against a real console', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-sim-fleet-'));
  let sim: SimProcess;
  let tally: TallyProcess;
  let api: ReturnType<typeof consoleApi>;
  const ids = new Map<string, string>();

  before(async () => {
    sim = await startSim({ agents: AGENTS, workers: 3, channels: CHANNELS, ip: '127.79.0.1', port: 7411, name: 'simt', manifest: path.join(dir, 'sim.json') });
    tally = await startTally(['serve', '--data', path.join(dir, 'console'), '--port', '0'], {});
    api = consoleApi(tally.deskUrl);
    for (const h of sim.manifest.hosts) {
      const view = await api.call<HostView>('command', 'host.add', { name: h.name, address: h.address, token: h.token, kind: 'transcoder', role: 'main', group: `worker-${h.worker}` });
      ids.set(h.name, view.id);
    }
  });

  after(async () => {
    if (sim) for (const w of sim.manifest.workers) {
      try {
        process.kill(w.pid, 'SIGCONT');
      } catch {
        /* already gone */
      }
    }
    await tally?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const hosts = () => api.call<HostView[]>('query', 'hosts.list', {});

  it('every simulated host is healthy and connected, with its channels running', async () => {
    const list = await waitFor(`all ${AGENTS} hosts ok`, async () => {
      const all = await hosts();
      return all.length === AGENTS && all.every((h) => h.health === 'ok') ? all : undefined;
    }, 120_000, 500);
    assert.ok(list.every((h) => h.link === 'connected' && h.agentRoles.includes('transcoder')));
    const channels = await waitFor('channels of every host', async () => {
      const all = await api.call<ChannelView[]>('query', 'channels.list', {});
      return all.length === AGENTS * CHANNELS ? all : undefined;
    }, 60_000, 500);
    assert.ok(channels.every((c) => c.status.state === 'running' && c.status.configHash === c.status.runningHash));
  });

  it("the console's channel view is what the agent itself reports, and it keeps moving (channel deltas merged)", async () => {
    const host = sim.manifest.hosts[7]!;
    const ask = () => api.call<ChannelView[]>('query', 'channels.list', { hostId: ids.get(host.name)! });
    const first = await ask();
    const res = await fetch(`http://${host.address}/v1/transcoder/channels`, { headers: { authorization: `Bearer ${host.token}` } });
    const own = ((await res.json()) as { channels: ChannelView['status'][] }).channels;
    const stable = (c: ChannelView['status']) => ({ name: c.name, state: c.state, pid: c.pid, startedAt: c.startedAt, configHash: c.configHash, runningHash: c.runningHash, epoch: c.epoch, restarts: c.restarts, fps: c.fps });
    assert.deepEqual(first.map((c) => stable(c.status)), own.map(stable));
    // Figures come as deltas between full statuses; the console's copy must advance with them.
    await waitFor('uptime advancing in the console', async () => {
      const now = await ask();
      return now.every((c, i) => c.status.uptimeMs! > first[i]!.status.uptimeMs!) ? true : undefined;
    }, 20_000, 250);
  });

  it('a frozen simulator worker: its hosts go attention then down, the others stay ok; SIGCONT brings them back', async () => {
    const worker = sim.manifest.workers.at(-1)!;
    const frozen = new Set(sim.manifest.hosts.filter((h) => h.worker === worker.index).map((h) => ids.get(h.name)!));
    assert.ok(frozen.size > 0 && frozen.size * 2 < AGENTS, 'a minority, so the console does not suspect itself');
    process.kill(worker.pid, 'SIGSTOP');
    try {
      await waitFor(`the ${frozen.size} frozen hosts down`, async () => {
        const all = await hosts();
        return all.filter((h) => frozen.has(h.id)).every((h) => h.health === 'down') ? true : undefined;
      }, 60_000, 250);
      const all = await hosts();
      assert.ok(all.filter((h) => !frozen.has(h.id)).every((h) => h.health === 'ok'), 'no other host was touched');
      const status = await api.call<{ isolated: boolean }>('query', 'fleet.status', {});
      assert.equal(status.isolated, false);
      const journal = await api.call<{ kind: string; hostId?: string | null; data?: { to?: string } }[]>('query', 'journal.recent', { limit: 1000 });
      const one = [...frozen][0]!;
      const trail = journal.filter((e) => e.kind === 'host.health' && e.hostId === one).map((e) => e.data?.to);
      assert.deepEqual(trail.slice(-2), ['attention', 'down'], 'suspected first, then confirmed down');
    } finally {
      process.kill(worker.pid, 'SIGCONT');
    }
    await waitFor('every host ok again', async () => ((await hosts()).every((h) => h.health === 'ok') ? true : undefined), 60_000, 250);
  });
});
