/**
 * The console is killed (SIGKILL) in the middle of a failover and started again on the same data folder: it resumes
 * the operation from what it persisted and what the agents report — nothing is started twice, nothing is left
 * half-moved — and still fences the failed host when it returns. Real agents, real ffmpeg, the real `tally serve`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Lab, startLab } from '../../agents/lab/lab';
import { labTranscoderSection, seedLabChannels } from '../../agents/lab/transcoder-lab';
import type { FailoverOperation } from '../../main/core/api';
import { labOptions } from '../helpers/agents';
import { startTally, type TallyProcess } from '../helpers/tally-process';
import { waitFor } from '../helpers/wait';

const CHANNELS = ['one', 'two', 'three', 'four'];

describe('console killed mid-failover', () => {
  const opts = labOptions('crash');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-crash-console-'));
  let lab: Lab;
  let tally: TallyProcess;
  const ids: Record<string, string> = {};

  const api = async <T>(kind: 'query' | 'command', name: string, body: unknown): Promise<T> => {
    const url = new URL(tally.deskUrl);
    const res = await fetch(`${url.origin}/api/${kind}/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json', 'x-tally-operator': 'crash-test' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { value?: T; error?: string };
    if (!res.ok) throw new Error(`${name}: ${json.error}`);
    return json.value as T;
  };
  const channelsOn = async (host: string) =>
    new Map((await api<{ status: { name: string; state: string; pid: number | null; epoch: number | null; restarts: number } }[]>('query', 'channels.list', { hostId: ids[host] })).map((c) => [c.status.name, c.status]));
  const operations = () => api<FailoverOperation[]>('query', 'failover.operations', { limit: 10 });

  before(async () => {
    const hosts = [
      { name: 'tc-1', ip: '127.0.0.2', channels: CHANNELS },
      { name: 'tc-2', ip: '127.0.0.3', channels: [] },
      { name: 'tc-r', ip: '127.0.0.4', channels: [] },
    ];
    lab = await startLab(
      hosts.map((h) => {
        const section = labTranscoderSection(opts.dir, h.name);
        seedLabChannels(section.channelsDir, h.channels);
        return { name: h.name, ip: h.ip, roles: ['system', 'transcoder'], extra: { transcoder: section } };
      }),
      opts,
    );
    tally = await startTally(['serve', '--data', dataDir, '--port', '0'], {});
    for (const [i, h] of hosts.entries()) {
      const agent = lab.agents[i]!;
      const view = await api<{ id: string }>('command', 'host.add', { name: h.name, address: agent.address, token: agent.token, kind: 'transcoder', role: h.name === 'tc-r' ? 'reserve' : 'main', group: '' });
      ids[h.name] = view.id;
    }
    await waitFor('tc-1 channels running with snapshots', async () => {
      const channels = await channelsOn('tc-1');
      if (!CHANNELS.every((c) => channels.get(c)?.state === 'running')) return false;
      const preview = await api<{ possible: boolean }>('query', 'failover.preview', { hostId: ids['tc-1'] });
      return preview.possible;
    }, 40_000, 250);
  });

  after(async () => {
    await tally?.stop();
    await lab?.stop();
    opts.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes the failover after a SIGKILL without starting anything twice', async () => {
    const frozen = [lab.agents[0]!.pid(), ...[...(await channelsOn('tc-1')).values()].map((c) => c.pid!).filter(Boolean)];
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      const early = await waitFor('a failover under way, configs being pushed', async () => {
        const op = (await operations())[0];
        return op && op.state === 'running' && op.steps.some((s) => /config pushed/.test(s.what)) ? op : undefined;
      }, 20_000, 25);
      assert.equal(early.state, 'running');
      tally.child.kill('SIGKILL');
      await new Promise((r) => tally.child.once('exit', r));

      tally = await startTally(['serve', '--data', dataDir, '--port', '0'], {});
      const op = await waitFor('the resumed failover finished', async () => {
        const found = (await operations()).find((o) => o.id === early.id);
        return found && found.state !== 'running' ? found : undefined;
      }, 60_000, 250);
      assert.equal(op.state, 'done', JSON.stringify(op.steps.filter((s) => !s.ok)));
      assert.ok(op.steps.some((s) => s.what === 'resumed after a console restart'));
      assert.equal((await operations()).filter((o) => o.fromHostId === ids['tc-1']).length, 1, 'no second failover of the same host');

      const reserve = await channelsOn('tc-r');
      for (const name of CHANNELS) {
        const c = reserve.get(name);
        assert.equal(c?.state, 'running', name);
        assert.equal(c?.epoch, 1, `${name} runs the new epoch`);
        assert.equal(c?.restarts, 0, `${name} was started once`);
        const processes = execFileSync('pgrep', ['-f', path.join(opts.dir, 'tc-r', 'hls', name) + '/'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
        assert.equal(processes.length, 1, `exactly one ffmpeg for ${name} on the reserve (${processes.join(', ')})`);
      }
    } finally {
      for (const pid of frozen) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          /* fenced already */
        }
      }
    }
    await waitFor('tc-1 fenced into maintenance', async () => {
      const hosts = await api<{ id: string; role: string; fencePending: boolean }[]>('query', 'hosts.list', {});
      const tc1 = hosts.find((h) => h.id === ids['tc-1']);
      return tc1?.role === 'maintenance' && !tc1.fencePending;
    }, 20_000, 100);
    assert.equal((await channelsOn('tc-1')).size, 0);
  });
});
