/**
 * The same failover when the host's network link is cut instead of its processes frozen: a transcoder agent in a
 * network namespace of the test's own, reached over a veth pair; the link goes down, the channels move to the
 * reserve; the link comes back, the host is fenced. Needs root (ip netns); says why when it skips.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OP, startTranscoderPlant, type TranscoderPlant, waitChannelsReady } from '../helpers/transcoder-plant';
import { waitFor } from '../helpers/wait';

function skipReason(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root: network namespaces need it';
  const probe = spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return `"ip netns" is not available (${probe.error?.message ?? `exit ${probe.status}`})`;
  return null;
}
const skip = skipReason();
if (skip) console.log(`# failover-netns skipped: ${skip}`);

const tag = randomBytes(2).toString('hex');
const ns = `tally-fo-${tag}`;
const hostSide = `tfo${tag}h`;
const nsSide = `tfo${tag}n`;
// A /30 of our own, only inside this test's namespace and veth pair.
const octet = 100 + (parseInt(tag, 16) % 100);
const rootIp = `10.213.${octet}.1`;
const nsIp = `10.213.${octet}.2`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', timeout: 5000 });

describe('failover when a host’s link is cut (network namespace)', { skip: skip ?? false }, () => {
  let plant: TranscoderPlant;
  before(async () => {
    ip('netns', 'add', ns);
    ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide, 'netns', ns);
    ip('addr', 'add', `${rootIp}/30`, 'dev', hostSide);
    ip('link', 'set', hostSide, 'up');
    ip('-n', ns, 'addr', 'add', `${nsIp}/30`, 'dev', nsSide);
    ip('-n', ns, 'link', 'set', nsSide, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    plant = await startTranscoderPlant('netns', [
      { name: 'tc-ns', ip: nsIp, role: 'main', channels: ['news', 'sport'], wrap: ['ip', 'netns', 'exec', ns] },
      { name: 'tc-2', ip: '127.0.0.3', role: 'main', channels: [] },
      { name: 'tc-r', ip: '127.0.0.4', role: 'reserve', channels: [] },
    ]);
    await waitChannelsReady(plant, 'tc-ns', ['news', 'sport']);
  });
  after(async () => {
    await plant?.stop();
    try {
      ip('netns', 'del', ns);
    } catch (err) {
      console.log(`# could not delete namespace ${ns}: ${(err as Error).message}`);
    }
  });

  const view = (name: string) => plant.engine.hostView(plant.ids[name]!)!;

  it('link down → down (no ping) → channels on the reserve; link up → fenced into maintenance', async () => {
    ip('link', 'set', hostSide, 'down');
    try {
      await waitFor('tc-ns down', () => view('tc-ns').health === 'down', 10_000, 20);
      assert.match(view('tc-ns').healthReason ?? '', /does not answer ping/);
      const op = await waitFor('failover finished', () => plant.engine.handlers.queries['failover.operations']({ limit: 5 }, OP).then((ops) => ops.find((o) => o.state !== 'running')), 45_000, 100);
      assert.equal(op.state, 'done', JSON.stringify(op.steps.filter((s) => !s.ok)));
      assert.equal(op.toHostName, 'tc-r');
      const reserve = await plant.channels('tc-r');
      assert.deepEqual([...reserve.keys()].sort(), ['news', 'sport']);
    } finally {
      ip('link', 'set', hostSide, 'up');
    }
    await waitFor('tc-ns fenced into maintenance', () => view('tc-ns').role === 'maintenance' && !view('tc-ns').fencePending, 40_000, 100);
    assert.equal((await plant.channels('tc-ns')).size, 0, 'its stale channels were stopped and removed');
  });
});
