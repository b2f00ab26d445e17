/**
 * npm run bench -- failover [runs=5] [channels=10]
 * Silent failures (agent and ffmpeg SIGSTOPped) of a transcoder host with 10 channels at default settings, the
 * channels moving back and forth between two hosts. Times are from the freeze. Prints one BENCH line.
 */
import { OP, startTranscoderPlant, waitChannelsReady } from '../helpers/transcoder-plant';
import { waitFor } from '../helpers/wait';

const runs = Number(process.argv[2] ?? 5);
const channelCount = Number(process.argv[3] ?? 10);
const names = Array.from({ length: channelCount }, (_, i) => `ch${String(i + 1).padStart(2, '0')}`);

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

const plant = await startTranscoderPlant('bench-failover', [
  { name: 'tc-a', ip: '127.0.0.2', role: 'main', channels: names },
  { name: 'tc-b', ip: '127.0.0.3', role: 'reserve', channels: [] },
  // A third host so the indirect probes have a peer, as in any real plant.
  { name: 'tc-peer', ip: '127.0.0.4', role: 'main', channels: [] },
]);
const detect: number[] = [];
const running: number[] = [];
const firstSegment: number[] = [];
const doubleBroadcast: number[] = [];
try {
  await waitChannelsReady(plant, 'tc-a', names, 60_000);
  let main = 'tc-a';
  let reserve = 'tc-b';
  for (let run = 0; run < runs; run++) {
    if (run > 0) await waitChannelsReady(plant, main, names, 60_000);
    const before = (await plant.engine.handlers.queries['failover.operations']({ limit: 200 }, OP)).length;
    await new Promise((r) => setTimeout(r, Math.random() * 500));
    const frozenAt = Date.now();
    const pids = await plant.freeze(main);
    const op = await waitFor(
      `run ${run + 1}: failover of ${main} finished`,
      async () => {
        const ops = await plant.engine.handlers.queries['failover.operations']({ limit: 200 }, OP);
        return ops.length > before && ops[0]!.state !== 'running' ? ops[0] : undefined;
      },
      90_000,
      50,
    );
    if (op.state !== 'done') throw new Error(`run ${run + 1} failed: ${JSON.stringify(op.steps.filter((s) => !s.ok))}`);
    detect.push((op.triggeredAt - frozenAt) / 1000);
    running.push((Math.max(...op.steps.filter((s) => s.what === 'running').map((s) => s.at)) - frozenAt) / 1000);
    firstSegment.push((op.finishedAt! - frozenAt) / 1000);
    plant.thaw(pids);
    const fenced = await waitFor(`run ${run + 1}: ${main} fenced`, async () => {
      const ops = await plant.engine.handlers.queries['failover.operations']({ limit: 200 }, OP);
      const current = ops.find((o) => o.id === op.id);
      return current?.fencedAt ? current : undefined;
    }, 30_000, 50);
    doubleBroadcast.push((fenced.doubleBroadcastMs ?? 0) / 1000);
    process.stderr.write(`run ${run + 1}: detect ${detect.at(-1)!.toFixed(2)} s, running ${running.at(-1)!.toFixed(2)} s, first segment ${firstSegment.at(-1)!.toFixed(2)} s, double broadcast ${doubleBroadcast.at(-1)!.toFixed(2)} s\n`);
    // The fenced host (now empty, in maintenance) becomes the reserve for the next run.
    await plant.engine.handlers.commands['host.setRole']({ hostId: plant.ids[main]!, role: 'reserve' }, OP);
    [main, reserve] = [reserve, main];
  }
} finally {
  await plant.stop();
}
console.log(
  `BENCH failover runs=${detect.length} channels=${channelCount} detect_p95_s=${p95(detect).toFixed(2)} running_p95_s=${p95(running).toFixed(2)} first_segment_p95_s=${p95(firstSegment).toFixed(2)} double_broadcast_p95_s=${p95(doubleBroadcast).toFixed(2)}`,
);
