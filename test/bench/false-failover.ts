/**
 * npm run bench -- false-failover [pauses=100]
 * Injects pauses of 0.5–2.0 s (agent and ffmpeg SIGSTOPped, then SIGCONT) into main transcoder hosts at default
 * settings, then cuts the console off from the whole fleet (every agent frozen past the confirmation window).
 * Counts failovers: the goal is none. Prints one BENCH line.
 */
import { OP, startTranscoderPlant, waitChannelsReady } from '../helpers/transcoder-plant';
import { waitFor } from '../helpers/wait';

const pauses = Number(process.argv[2] ?? 100);
const plant = await startTranscoderPlant('bench-false', [
  { name: 'tc-1', ip: '127.0.0.2', role: 'main', channels: ['a'] },
  { name: 'tc-2', ip: '127.0.0.3', role: 'main', channels: ['b'] },
  { name: 'tc-r', ip: '127.0.0.4', role: 'reserve', channels: [] },
]);
const failoversNow = async () => (await plant.engine.handlers.queries['failover.operations']({ limit: 200 }, OP)).length;
let failovers: number;
let isolatedFailovers: number;
let longest = 0;
try {
  await waitChannelsReady(plant, 'tc-1', ['a']);
  await waitChannelsReady(plant, 'tc-2', ['b']);
  for (let i = 0; i < pauses; i++) {
    const host = i % 2 === 0 ? 'tc-1' : 'tc-2';
    const ms = 500 + Math.random() * 1500;
    longest = Math.max(longest, ms);
    const pids = await plant.freeze(host);
    await new Promise((r) => setTimeout(r, ms));
    plant.thaw(pids);
    await waitFor(`${host} ok after pause ${i + 1}`, () => plant.engine.hostView(plant.ids[host]!)!.health === 'ok', 10_000, 20);
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
  }
  failovers = await failoversNow();
  // The console cut off: it hears nobody for longer than the confirmation window.
  const all = (await Promise.all(['tc-1', 'tc-2', 'tc-r'].map((h) => plant.freeze(h)))).flat();
  await new Promise((r) => setTimeout(r, 6000));
  const isolated = plant.engine.journal.recent(2000).some((e) => e.kind === 'console.isolated');
  plant.thaw(all);
  await new Promise((r) => setTimeout(r, 3000));
  isolatedFailovers = (await failoversNow()) - failovers;
  if (!isolated) process.stderr.write('warning: the console never said it was isolated\n');
} finally {
  await plant.stop();
}
console.log(`BENCH false-failover pauses=${pauses} longest_pause_s=${(longest / 1000).toFixed(2)} failovers=${failovers} isolated_failovers=${isolatedFailovers}`);
