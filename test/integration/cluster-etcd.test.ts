/**
 * Several consoles led through a real etcd (Debian's etcd-server): two real `tally serve` processes watch the same
 * real transcoder agents. Exactly one leads and automates; a SIGKILLed leader is replaced; a host its dead leader
 * already failed over is not failed over again by the new one (the claim in etcd), and the new leader fences it when
 * it returns; a leader that loses etcd stops automating. Timings are measured by `npm run bench -- leader`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FailoverOperation } from '../../main/core/api';
import { type ClusterPlant, startClusterPlant } from '../helpers/cluster-plant';
import { waitFor } from '../helpers/wait';

const CHANNELS = ['one', 'two'];
const TTL_SEC = 3;

describe('several consoles led through etcd', () => {
  let plant: ClusterPlant;
  let frozen: number[] = [];
  const status: ClusterPlant['status'] = (d) => plant.status(d);
  const channelsOn: ClusterPlant['channelsOn'] = (d, h) => plant.channelsOn(d, h);
  const journal: ClusterPlant['journal'] = (d) => plant.journal(d);
  const leaderOf = async () => {
    const { leader, standbys } = await plant.leaderOf();
    return { leader, standby: standbys[0]! };
  };

  before(async () => {
    plant = await startClusterPlant(
      'cluster',
      [
        { name: 'tc-1', ip: '127.0.0.2', channels: CHANNELS, role: 'main' },
        { name: 'tc-r1', ip: '127.0.0.3', channels: [], role: 'reserve' },
        { name: 'tc-r2', ip: '127.0.0.4', channels: [], role: 'reserve' },
      ],
      ['desk-a', 'desk-b'],
      TTL_SEC,
    );
  });

  after(async () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        /* gone */
      }
    }
    await plant?.stop();
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
    frozen = [plant.lab.agents[0]!.pid(), ...tc1];
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
    const hosts = await plant.hosts(standby);
    assert.equal(hosts.find((h) => h.name === target)?.role, 'main', `${target} is main on the new leader too`);
    assert.equal(hosts.find((h) => h.name === 'tc-1')?.fencePending, true);

    // The dead console comes back: it stands by.
    await plant.restart(leader);
    await waitFor(`${leader.name} back as a standby naming ${standby.name}`, async () => {
      const s = await status(leader);
      return s.leader === standby.name && !s.automating;
    }, 20_000, 100);

    // tc-1 returns: the new leader fences it — its stale channels go, it goes to maintenance, the claim is dropped.
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    frozen = [];
    await waitFor('tc-1 fenced into maintenance by the new leader', async () => {
      const tc = (await plant.hosts(standby)).find((h) => h.id === standby.ids['tc-1']);
      return tc?.role === 'maintenance' && !tc.fencePending;
    }, 30_000, 100);
    assert.equal((await channelsOn(standby, 'tc-1')).size, 0, 'no stale channel left on tc-1');
    const onTarget = await channelsOn(standby, target);
    for (const c of CHANNELS) assert.equal(onTarget.get(c)?.state, 'running', `${c} still runs on ${target}`);
    await waitFor(`${leader.name} saw the fence done elsewhere`, async () => {
      const tc = (await plant.hosts(leader)).find((h) => h.id === leader.ids['tc-1']);
      return tc?.role === 'maintenance' && !tc.fencePending;
    }, 20_000, 100);
  });

  it('two operators moving the same host at once on two consoles: one move runs, the other is refused', async () => {
    const { leader, standby } = await leaderOf();
    const hosts = await plant.hosts(standby);
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
    plant.etcd.pause();
    try {
      await waitFor(`${leader.name} stopped automating`, async () => !(await status(leader)).automating, (TTL_SEC + 3) * 1000, 100);
      const [l, s] = await Promise.all([status(leader), status(standby)]);
      assert.equal(l.etcd?.reachable, false, `${leader.name} says etcd is unreachable: ${JSON.stringify(l)}`);
      assert.equal(s.automating, false, 'the standby does not automate without etcd either');
      await waitFor(`${leader.name} journalled that it stopped automating`, async () => (await journal(leader)).some((e) => e.kind === 'cluster.stopped-automating'), 2000, 50);
    } finally {
      plant.etcd.resume();
    }
    await leaderOf();
  });
});
