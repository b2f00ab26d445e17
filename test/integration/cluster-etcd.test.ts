/**
 * Several consoles led through a real etcd (Debian's etcd-server): two real `tally serve` processes watch the same
 * real transcoder agents. Exactly one leads and automates; a SIGKILLed leader is replaced; a host its dead leader
 * already failed over is not failed over again by the new one (the claim in etcd), and the new leader fences it when
 * it returns; a leader that loses etcd stops automating. Timings are measured by `npm run bench -- leader`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Lab, startLab } from '../../agents/lab/lab';
import { labTranscoderSection, seedLabChannels } from '../../agents/lab/transcoder-lab';
import type { ClusterStatus, FailoverOperation, HostView, JournalEntry } from '../../main/core/api';
import { labOptions } from '../helpers/agents';
import { consoleApi } from '../helpers/console-api';
import { type Etcd, startEtcd } from '../helpers/etcd';
import { startTally, type TallyProcess } from '../helpers/tally-process';
import { waitFor } from '../helpers/wait';

const CHANNELS = ['one', 'two'];
const TTL_SEC = 3;
const HOSTS = [
  { name: 'tc-1', ip: '127.0.0.2', channels: CHANNELS, role: 'main' },
  { name: 'tc-r1', ip: '127.0.0.3', channels: [], role: 'reserve' },
  { name: 'tc-r2', ip: '127.0.0.4', channels: [], role: 'reserve' },
] as const;

interface Desk {
  name: string;
  dataDir: string;
  tally: TallyProcess;
  api: ReturnType<typeof consoleApi>;
  /** Host name → this console's id for it (each console names hosts in its own inventory). */
  ids: Record<string, string>;
}

describe('several consoles led through etcd', () => {
  const opts = labOptions('cluster');
  let etcd: Etcd;
  let lab: Lab;
  const desks: Desk[] = [];
  let frozen: number[] = [];

  const startDesk = async (desk: Pick<Desk, 'name' | 'dataDir'>): Promise<TallyProcess> =>
    startTally(['serve', '--data', desk.dataDir, '--port', '0', '--etcd', etcd.endpoint, '--name', desk.name, '--lease-ttl', String(TTL_SEC)], {});
  const status = (d: Desk) => d.api<ClusterStatus>('query', 'cluster.status', {});
  const channelsOn = async (d: Desk, host: string) =>
    new Map((await d.api<{ status: { name: string; state: string; epoch: number | null } }[]>('query', 'channels.list', { hostId: d.ids[host] })).map((c) => [c.status.name, c.status]));
  const journal = (d: Desk) => d.api<JournalEntry[]>('query', 'journal.recent', { limit: 1000 });
  const leaderOf = async (): Promise<{ leader: Desk; standby: Desk }> => {
    const [a, b] = desks as [Desk, Desk];
    return waitFor('one leader that both consoles name', async () => {
      const [sa, sb] = await Promise.all([status(a), status(b)]);
      if (!sa.leader || sa.leader !== sb.leader || sa.automating === sb.automating) return undefined;
      return sa.automating ? { leader: a, standby: b } : { leader: b, standby: a };
    }, 20_000, 100);
  };

  before(async () => {
    etcd = await startEtcd();
    lab = await startLab(
      HOSTS.map((h) => {
        const section = labTranscoderSection(opts.dir, h.name);
        seedLabChannels(section.channelsDir, [...h.channels]);
        return { name: h.name, ip: h.ip, roles: ['system', 'transcoder'], extra: { transcoder: section } };
      }),
      opts,
    );
    for (const name of ['desk-a', 'desk-b']) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `tally-cluster-${name}-`));
      const desk = { name, dataDir, ids: {} } as unknown as Desk;
      desk.tally = await startDesk(desk);
      desk.api = consoleApi(() => desk.tally, `${name}-operator`);
      desks.push(desk);
      for (const [i, h] of HOSTS.entries()) {
        const agent = lab.agents[i]!;
        const view = await desk.api<HostView>('command', 'host.add', { name: h.name, address: agent.address, token: agent.token, kind: 'transcoder', role: h.role, group: '' });
        desk.ids[h.name] = view.id;
      }
    }
    for (const desk of desks) {
      await waitFor(`${desk.name} sees tc-1's channels running with snapshots`, async () => {
        const channels = await channelsOn(desk, 'tc-1');
        if (!CHANNELS.every((c) => channels.get(c)?.state === 'running')) throw new Error(`channels: ${JSON.stringify([...channels.values()])} hosts: ${JSON.stringify((await desk.api<HostView[]>('query', 'hosts.list', {})).map((h) => [h.name, h.health, h.link]))}`);
        const preview = await desk.api<{ possible: boolean; summary: string }>('query', 'failover.preview', { hostId: desk.ids['tc-1'] });
        if (!preview.possible) throw new Error(preview.summary);
        return true;
      }, 40_000, 250);
    }
  });

  after(async () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        /* gone */
      }
    }
    for (const d of desks) await d.tally?.stop();
    await lab?.stop();
    await etcd?.stop();
    opts.cleanup();
    for (const d of desks) rmSync(d.dataDir, { recursive: true, force: true });
  });

  it('has exactly one leader, and the standby says who leads', async () => {
    const { leader, standby } = await leaderOf();
    const s = await status(standby);
    assert.equal(s.mode, 'etcd');
    assert.equal(s.isLeader, false);
    assert.equal(s.leader, leader.name);
    assert.equal(s.etcd?.reachable, true);
    const l = await status(leader);
    assert.equal(l.isLeader, true);
    assert.ok(l.leaseLeftMs! > 0 && l.leaseLeftMs! <= TTL_SEC * 1000, `lease left ${l.leaseLeftMs} ms`);
  });

  it('fails a dead host over once, from the leader only; a new leader does not fail it over again and fences it on its return', async () => {
    const { leader, standby } = await leaderOf();
    const tc1 = (await leader.api<{ status: { pid: number | null } }[]>('query', 'channels.list', { hostId: leader.ids['tc-1'] })).map((c) => c.status.pid!).filter(Boolean);
    frozen = [lab.agents[0]!.pid(), ...tc1];
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');

    const op = await waitFor('the leader failed tc-1 over', async () => {
      const found = (await leader.api<FailoverOperation[]>('query', 'failover.operations', { limit: 10 })).find((o) => o.fromHostId === leader.ids['tc-1']);
      return found && found.state !== 'running' ? found : undefined;
    }, 30_000, 100);
    assert.equal(op.state, 'done', JSON.stringify(op.steps.filter((s) => !s.ok)));
    assert.equal(op.kind, 'automatic');
    await waitFor('the standby journalled that another console leads the failover', async () => (await journal(standby)).some((e) => e.kind === 'failover.not-leader' && e.hostId === standby.ids['tc-1']), 10_000, 100);
    assert.deepEqual(await standby.api<FailoverOperation[]>('query', 'failover.operations', { limit: 10 }), [], 'the standby started nothing');
    const target = op.toHostName;
    const other = target === 'tc-r1' ? 'tc-r2' : 'tc-r1';

    // The leader dies with tc-1 still down: the standby takes over and must not move tc-1 a second time.
    leader.tally.child.kill('SIGKILL');
    await new Promise((r) => leader.tally.child.once('exit', r));
    await waitFor(`${standby.name} leads`, async () => (await status(standby)).automating, (TTL_SEC + 5) * 1000, 100);
    await waitFor(`${standby.name} mirrored the claim of ${leader.name}`, async () => (await journal(standby)).some((e) => e.kind === 'failover.remote' && e.hostId === standby.ids['tc-1']), 10_000, 100);
    // A full detection window and more pass while the new leader looks at a down main host.
    await new Promise((r) => setTimeout(r, 4000));
    assert.deepEqual(await standby.api<FailoverOperation[]>('query', 'failover.operations', { limit: 10 }), [], 'no second failover of tc-1');
    assert.equal((await channelsOn(standby, other)).size, 0, `${other} got no channels`);
    const hosts = await standby.api<HostView[]>('query', 'hosts.list', {});
    assert.equal(hosts.find((h) => h.name === target)?.role, 'main', `${target} is main on the new leader too`);
    assert.equal(hosts.find((h) => h.name === 'tc-1')?.fencePending, true);

    // The dead console comes back: it stands by.
    leader.tally = await startDesk(leader);
    await waitFor(`${leader.name} back as a standby naming ${standby.name}`, async () => {
      const s = await status(leader);
      return s.leader === standby.name && !s.automating;
    }, 20_000, 100);

    // tc-1 returns: the new leader fences it — its stale channels go, it goes to maintenance, the claim is dropped.
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    frozen = [];
    await waitFor('tc-1 fenced into maintenance by the new leader', async () => {
      const tc = (await standby.api<HostView[]>('query', 'hosts.list', {})).find((h) => h.id === standby.ids['tc-1']);
      return tc?.role === 'maintenance' && !tc.fencePending;
    }, 30_000, 100);
    assert.equal((await channelsOn(standby, 'tc-1')).size, 0, 'no stale channel left on tc-1');
    const onTarget = await channelsOn(standby, target);
    for (const c of CHANNELS) assert.equal(onTarget.get(c)?.state, 'running', `${c} still runs on ${target}`);
    await waitFor(`${leader.name} saw the fence done elsewhere`, async () => {
      const tc = (await leader.api<HostView[]>('query', 'hosts.list', {})).find((h) => h.id === leader.ids['tc-1']);
      return tc?.role === 'maintenance' && !tc.fencePending;
    }, 20_000, 100);
  });

  it('two operators moving the same host at once on two consoles: one move runs, the other is refused', async () => {
    const { leader, standby } = await leaderOf();
    const hosts = await standby.api<HostView[]>('query', 'hosts.list', {});
    const source = hosts.find((h) => h.role === 'main' && h.name !== 'tc-1')!.name;
    const results = await Promise.allSettled([leader, standby].map((d) => d.api<FailoverOperation>('command', 'failover.run', { hostId: d.ids[source] })));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ desk: [leader, standby][i]!, op: r.value }] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    assert.equal(won.length, 1, `exactly one move runs (refusals: ${refused.join(' | ')})`);
    assert.match(refused[0]!, /nothing was moved: desk-\w already moved/);
    const done = await waitFor('the operator move finished', async () => {
      const found = (await won[0]!.desk.api<FailoverOperation[]>('query', 'failover.operations', { limit: 10 })).find((o) => o.id === won[0]!.op.id);
      return found && found.state !== 'running' ? found : undefined;
    }, 40_000, 200);
    assert.equal(done.state, 'done', JSON.stringify(done.steps.filter((s) => !s.ok)));
  });

  it('a leader that loses etcd stops automating; nobody automates until etcd is back', async () => {
    const { leader, standby } = await leaderOf();
    etcd.pause();
    try {
      await waitFor(`${leader.name} stopped automating`, async () => !(await status(leader)).automating, (TTL_SEC + 3) * 1000, 100);
      const [l, s] = await Promise.all([status(leader), status(standby)]);
      assert.equal(l.etcd?.reachable, false, `${leader.name} says etcd is unreachable: ${JSON.stringify(l)}`);
      assert.equal(s.automating, false, 'the standby does not automate without etcd either');
      await waitFor(`${leader.name} journalled that it stopped automating`, async () => (await journal(leader)).some((e) => e.kind === 'cluster.stopped-automating'), 2000, 50);
    } finally {
      etcd.resume();
    }
    await leaderOf();
  });
});
