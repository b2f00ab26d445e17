/**
 * npm run bench -- leader [runs=5] [ttl=5]
 * Two real `tally serve` consoles campaign through a real etcd over real transcoder agents. Each run SIGKILLs the
 * leader and times until the standby automates (goal: within the lease TTL + 1 s), then starts the killed console
 * again as the standby. In one run a main host is frozen just before the kill, so the leader dies while the host is
 * going down or being failed over: afterwards every failover of that host on either console is counted — a host
 * moved more than once, or channels running on two reserves, is a double failover (goal: none).
 * Prints `BENCH leader ttl_s=… takeover_s=… double_failovers=0` (takeover is the worst run; p50 and each run too).
 */
import { startClusterPlant } from '../helpers/cluster-plant';
import { waitFor } from '../helpers/wait';

const runs = Number(process.argv[2] ?? 5);
const ttlSec = Number(process.argv[3] ?? 5);
const CHANNELS = ['one', 'two'];
const plant = await startClusterPlant(
  'bench-leader',
  [
    { name: 'tc-1', ip: '127.0.0.2', role: 'main', channels: CHANNELS },
    { name: 'tc-r1', ip: '127.0.0.3', role: 'reserve', channels: [] },
    { name: 'tc-r2', ip: '127.0.0.4', role: 'reserve', channels: [] },
  ],
  ['desk-a', 'desk-b'],
  ttlSec,
);
const takeovers: number[] = [];
let doubleFailovers: number;
let movesOfFrozenHost: number;
let frozen: number[] = [];
try {
  const freezeRun = Math.min(2, runs - 1);
  for (let run = 0; run < runs; run++) {
    const { leader, standbys } = await plant.leaderOf(30_000);
    const standby = standbys[0]!;
    if (run === freezeRun) {
      const pids = [...(await plant.channelsOn(leader, 'tc-1')).values()].map((c) => c.pid!).filter(Boolean);
      frozen = [plant.lab.agents[0]!.pid(), ...pids];
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      // Down after ~2.7 s: kill the leader right as it starts moving the channels.
      await waitFor('tc-1 declared down on the leader', async () => (await plant.hosts(leader)).find((h) => h.name === 'tc-1')?.health === 'down', 15_000, 20);
    }
    const killedAt = performance.now();
    leader.tally.child.kill('SIGKILL');
    await new Promise((r) => leader.tally.child.once('exit', r));
    await waitFor(`${standby.name} automating`, async () => (await plant.status(standby)).automating, (ttlSec + 10) * 1000, 20);
    takeovers.push((performance.now() - killedAt) / 1000);
    await plant.restart(leader);
    await plant.leaderOf(30_000);
  }
  // Let whatever the new leader would do about tc-1 happen, then count.
  await new Promise((r) => setTimeout(r, 8000));
  const operationIds = new Set<string>();
  for (const d of plant.desks) for (const op of await plant.operations(d)) if (op.fromHostName === 'tc-1') operationIds.add(op.id);
  const claimsInJournal = new Set<string>();
  for (const d of plant.desks) for (const e of await plant.journal(d)) if (e.kind === 'failover.remote' && typeof e.data?.actionId === 'string') claimsInJournal.add(e.data.actionId);
  const moves = new Set([...operationIds, ...claimsInJournal]);
  const { leader } = await plant.leaderOf(30_000);
  let reservesRunning = 0;
  for (const r of ['tc-r1', 'tc-r2']) if ((await plant.channelsOn(leader, r)).get('one')?.state === 'running') reservesRunning++;
  movesOfFrozenHost = moves.size;
  doubleFailovers = Math.max(0, moves.size - 1) + Math.max(0, reservesRunning - 1);
  if (moves.size === 0) console.error('note: tc-1 was not failed over at all in this run');
} finally {
  for (const pid of frozen) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      /* gone */
    }
  }
  await plant.stop();
}
const sorted = [...takeovers].sort((a, b) => a - b);
console.log(
  `BENCH leader ttl_s=${ttlSec} takeover_s=${sorted[sorted.length - 1]!.toFixed(2)} double_failovers=${doubleFailovers} runs=${runs} frozen_host_moves=${movesOfFrozenHost} takeover_p50_s=${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} each=${takeovers.map((t) => t.toFixed(2)).join(',')}`,
);
