/** Several mains failing at once: reserves are assigned without double-booking; without enough, nothing half-way. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OP, startTranscoderPlant, type TranscoderPlant, waitChannelsReady } from '../helpers/transcoder-plant';
import { waitFor } from '../helpers/wait';

describe('simultaneous failures', () => {
  let plant: TranscoderPlant;
  before(async () => {
    plant = await startTranscoderPlant('multi', [
      { name: 'tc-1', ip: '127.0.0.2', role: 'main', channels: ['a'] },
      { name: 'tc-2', ip: '127.0.0.3', role: 'main', channels: ['b'] },
      { name: 'r-1', ip: '127.0.0.4', role: 'reserve', channels: [] },
      { name: 'r-2', ip: '127.0.0.5', role: 'reserve', channels: [] },
    ]);
    await waitChannelsReady(plant, 'tc-1', ['a']);
    await waitChannelsReady(plant, 'tc-2', ['b']);
  });
  after(async () => plant?.stop());

  const view = (name: string) => plant.engine.hostView(plant.ids[name]!)!;
  const finished = async (n: number) =>
    waitFor(`${n} finished failovers`, async () => {
      const ops = (await plant.engine.handlers.queries['failover.operations']({ limit: 50 }, OP)).filter((o) => o.state !== 'running');
      return ops.length >= n ? ops : undefined;
    }, 45_000, 100);

  it('two mains fail with two reserves: each goes to its own reserve', async () => {
    const frozen = [...(await plant.freeze('tc-1')), ...(await plant.freeze('tc-2'))];
    try {
      const ops = await finished(2);
      assert.deepEqual(ops.map((o) => o.state), ['done', 'done']);
      assert.deepEqual(ops.map((o) => o.toHostName).sort(), ['r-1', 'r-2'], 'no reserve booked twice');
      assert.equal((await plant.channels('r-1')).size + (await plant.channels('r-2')).size, 2);
    } finally {
      plant.thaw(frozen);
    }
    await waitFor('both fenced', () => view('tc-1').role === 'maintenance' && view('tc-2').role === 'maintenance' && !view('tc-1').fencePending && !view('tc-2').fencePending, 20_000);
  });

  it('two mains fail with one reserve: one moves, the other starts nothing and raises no-capacity', async () => {
    await plant.engine.handlers.commands['host.setRole']({ hostId: plant.ids['tc-1']!, role: 'reserve' }, OP);
    const frozen = [...(await plant.freeze('r-1')), ...(await plant.freeze('r-2'))];
    try {
      const ops = await finished(3);
      const latest = ops.filter((o) => o.fromHostName.startsWith('r-'));
      assert.equal(latest.length, 1, 'exactly one of the two could be moved');
      assert.equal(latest[0]!.toHostName, 'tc-1');
      assert.equal(latest[0]!.state, 'done');
      const refused = await waitFor('no-capacity for the other', () => plant.engine.journal.recent(1000).find((e) => e.kind === 'failover.no-capacity'), 10_000);
      assert.match(refused.message, /r-[12] is down and cannot be failed over: no reserve capacity/);
      const other = refused.hostId === plant.ids['r-1'] ? 'r-1' : 'r-2';
      assert.equal(view(other).fencePending, false, 'nothing was started for it, so nothing waits to be fenced');
    } finally {
      plant.thaw(frozen);
    }
  });
});
