/**
 * N+k failover with real agents and real ffmpeg: a main host frozen (agent and ffmpeg SIGSTOPped) has its channels
 * started on the reserve, verified producing HLS there; when it is thawed its stale ffmpeg processes are stopped and
 * removed first, then it goes to maintenance. A pause shorter than the confirmation window fails nothing over.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Bind9, startBind9 } from '../helpers/bind9';
import { OP, segmentsIn, startTranscoderPlant, type TranscoderPlant, waitChannelsReady } from '../helpers/transcoder-plant';
import { waitFor } from '../helpers/wait';

describe('failover of a silent transcoder host', () => {
  let plant: TranscoderPlant;
  let dns: Bind9;
  before(async () => {
    dns = await startBind9('tv.test', { news: '127.0.0.2', sport: '127.0.0.2' });
    plant = await startTranscoderPlant('failover', [
      { name: 'tc-1', ip: '127.0.0.2', role: 'main', channels: ['news', 'sport'] },
      { name: 'tc-2', ip: '127.0.0.3', role: 'main', channels: ['kids'] },
      { name: 'tc-r', ip: '127.0.0.4', role: 'reserve', channels: [] },
    ]);
    await waitChannelsReady(plant, 'tc-1', ['news', 'sport']);
    await waitChannelsReady(plant, 'tc-2', ['kids']);
    // The channels publish their outputs under DNS names that failover re-points (RFC 2136, TSIG).
    await plant.engine.handlers.commands['failover.dns.set'](
      { server: { host: '127.0.0.1', port: dns.port }, key: dns.key, zone: 'tv.test', ttlSec: 30, records: { news: 'news.tv.test', sport: 'sport.tv.test' } },
      OP,
    );
  });
  after(async () => {
    await plant?.stop();
    await dns?.stop();
  });

  const view = (name: string) => plant.engine.hostView(plant.ids[name]!)!;

  it('the preview says exactly what a failover would do', async () => {
    const preview = await plant.engine.handlers.queries['failover.preview']({ hostId: plant.ids['tc-1']! }, OP);
    assert.equal(preview.possible, true);
    assert.equal(preview.toHostName, 'tc-r');
    assert.match(preview.summary, /start 2 channels \(news, sport\) on tc-r .* stop and remove the old copies on tc-1 and put it in maintenance/);
    await assert.rejects(plant.engine.handlers.commands['host.setRole']({ hostId: plant.ids['tc-2']!, role: 'reserve' }, OP), /a host with channels cannot be a reserve/);
  });

  it('a pause shorter than the confirmation window fails nothing over', async () => {
    const pids = await plant.freeze('tc-2');
    await new Promise((r) => setTimeout(r, 1500));
    plant.thaw(pids);
    await waitFor('tc-2 ok again', () => view('tc-2').health === 'ok', 5000);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(plant.engine.journal.recent(500).filter((e) => e.kind === 'failover.step').length, 0, 'no failover step was taken');
    assert.notEqual(view('tc-2').health, 'down');
  });

  it('the console cut off from everyone fails nothing over and says it is isolated', async () => {
    const all = [...(await plant.freeze('tc-1')), ...(await plant.freeze('tc-2')), ...(await plant.freeze('tc-r'))];
    try {
      await waitFor('console isolated', () => plant.engine.journal.recent(1000).some((e) => e.kind === 'console.isolated'), 6000, 50);
      await new Promise((r) => setTimeout(r, 3500));
      assert.notEqual(view('tc-1').health, 'down', 'held in attention while isolated');
    } finally {
      plant.thaw(all);
    }
    await waitFor('all ok again', () => ['tc-1', 'tc-2', 'tc-r'].every((h) => view(h).health === 'ok'), 8000);
    assert.equal((await plant.engine.handlers.queries['failover.operations']({ limit: 5 }, OP)).length, 0);
  });

  it('SIGSTOP a main host → its channels run on the reserve and HLS segments come from there', async () => {
    const beforeSegments = new Map(['news', 'sport'].map((c) => [c, segmentsIn(plant.hlsDir('tc-r', c)).length]));
    const frozenAt = Date.now();
    const pids = await plant.freeze('tc-1');
    try {
      await waitFor('tc-1 down', () => view('tc-1').health === 'down', 8000, 20);
      const detectS = (Date.now() - frozenAt) / 1000;
      assert.ok(detectS < 6, `detected in ${detectS} s`);
      const op = await waitFor('failover done', () => plant.engine.handlers.queries['failover.operations']({ limit: 5 }, OP).then((ops) => ops.find((o) => o.state !== 'running')), 45_000, 200);
      assert.equal(op.state, 'done', JSON.stringify(op.steps.filter((s) => !s.ok)));
      assert.equal(op.toHostName, 'tc-r');
      assert.deepEqual(op.channels.map((c) => [c.name, c.state, c.toEpoch]).sort(), [['news', 'verified', 1], ['sport', 'verified', 1]]);
      const reserve = await plant.channels('tc-r');
      assert.equal(reserve.get('news')?.state, 'running');
      assert.equal(reserve.get('news')?.epoch, 1);
      for (const c of ['news', 'sport']) {
        await waitFor(`new ${c} segments on tc-r`, () => segmentsIn(plant.hlsDir('tc-r', c)).length > beforeSegments.get(c)!, 10_000);
      }
      assert.equal(view('tc-r').role, 'main', 'the reserve became main');
      assert.deepEqual(dns.lookup('news.tv.test'), ['127.0.0.4'], 'the channel name points at the reserve');
      assert.deepEqual(dns.lookup('sport.tv.test'), ['127.0.0.4']);
      assert.equal(view('tc-1').fencePending, true, 'the failed host waits to be fenced');
      const steps = op.steps.map((s) => s.what);
      assert.ok(steps.some((s) => /config pushed \(epoch 0 → 1\)/.test(s)));
      assert.ok(steps.some((s) => /first new HLS segment reported/.test(s)));
    } finally {
      plant.thaw(pids);
    }
    // Thawed: the old ffmpeg processes resume broadcasting until the console fences the host.
    await waitFor('tc-1 fenced and in maintenance', () => view('tc-1').role === 'maintenance' && !view('tc-1').fencePending, 20_000, 50);
    const oldFfmpegs = pids.slice(1);
    await waitFor('old ffmpeg processes gone', () => oldFfmpegs.every((pid) => !alive(pid)), 10_000);
    assert.equal((await plant.channels('tc-1')).size, 0, 'its stale channels were removed');
    const ops = await plant.engine.handlers.queries['failover.operations']({ limit: 5 }, OP);
    assert.ok(ops[0]!.doubleBroadcastMs !== null && ops[0]!.doubleBroadcastMs < 10_000, `double broadcast ${ops[0]!.doubleBroadcastMs} ms`);
    assert.ok(plant.engine.journal.recent(500).some((e) => e.kind === 'failover.fenced' && /stopped and removed 2 stale channel/.test(e.message)));
  });

  it('with no reserve left, a second failure starts nothing and says why', async () => {
    const pids = await plant.freeze('tc-2');
    try {
      const entry = await waitFor('no-capacity entry', () => plant.engine.journal.recent(500).find((e) => e.kind === 'failover.no-capacity'), 15_000, 100);
      assert.match(entry.message, /tc-2 is down and cannot be failed over: no reserve capacity/);
      assert.equal(entry.severity, 'critical');
    } finally {
      plant.thaw(pids);
    }
    await waitFor('tc-2 ok', () => view('tc-2').health === 'ok', 10_000);
    assert.equal((await plant.channels('tc-2')).get('kids')?.state, 'running', 'nothing was touched on tc-2');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
