/**
 * npm run bench -- scale [agents=1000] [seconds=60] [channels=20]
 * DESIGN §6 "Scale": simulated agents (agents/sim, the real protocol, a few worker processes) × 20 channels at the
 * default heartbeat against a real console (`tally serve`, its own process, so its CPU and RSS are its own). After
 * every host is healthy and a warm-up, one steady window: the console's event-loop lag p99 (its own /metrics), its CPU
 * as % of one core (/proc utime+stime), its peak RSS. One desk is subscribed to the event stream all along, as in a
 * NOC. Prints `BENCH scale agents=… channels=… lag_p99_ms=… cpu_pct=… rss_mb=… healthy=… false_down=…`.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { HostView } from '../../main/core/api';
import { consoleApi, type SimProcess, startSim } from '../helpers/sim-process';
import { startTally, type TallyProcess } from '../helpers/tally-process';
import { waitFor } from '../helpers/wait';

const agents = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 60);
const channels = Number(process.argv[4] ?? 20);
const WARMUP_MS = 15_000;
const SYNC_WAIT_MS = 180_000;
const CLK_TCK = 100;

const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-bench-scale-'));
const say = (line: string) => process.stderr.write(`[scale] ${line}\n`);

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
}
function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}
function gauge(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/** The console's own account of its memory (its /metrics), to see which phase grows it. */
function sayMemory(phase: string, text: string): void {
  const mem = (kind: string) => (Number(new RegExp(`^tally_console_memory_bytes\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1]) / 2 ** 20).toFixed(0);
  say(`memory (MB) ${phase}: rss ${mem('rss')}, heap ${mem('heap_used')} used of ${mem('heap_total')}, external ${mem('external')}, array buffers ${mem('array_buffers')}`);
}

let sim: SimProcess | null = null;
let tally: TallyProcess | null = null;
let events: WebSocket | null = null;
try {
  const t0 = Date.now();
  sim = await startSim({ agents, channels, ip: '127.78.0.1', port: 7411, name: 'scale', manifest: path.join(dir, 'sim.json') }, 300_000);
  say(`simulator ready: ${agents} agents in ${sim.manifest.workers.length} workers (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  // TALLY_BENCH_CPU_PROF=DIR: the console writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const profDir = process.env.TALLY_BENCH_CPU_PROF;
  // TALLY_BENCH_HEAP=DIR: a heap snapshot of the console at the end of the window, written there.
  const heapDir = process.env.TALLY_BENCH_HEAP;
  const nodeArgs = [
    ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir)}`] : []),
    ...(heapDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.resolve(heapDir)}`] : []),
  ];
  tally = await startTally(['serve', '--host', '127.0.0.1', '--port', '0', '--data', path.join(dir, 'console')], {}, 60_000, nodeArgs);
  const pid = tally.child.pid!;
  // The console's own log, kept beside the bench's output for a post-mortem (TALLY_BENCH_LOG=FILE).
  if (process.env.TALLY_BENCH_LOG) tally.child.stderr!.pipe(createWriteStream(process.env.TALLY_BENCH_LOG));
  tally.child.once('exit', (code, signal) => say(`the console exited (${signal ?? code})`));
  sim.child.once('exit', (code, signal) => say(`the simulator exited (${signal ?? code})`));
  const api = consoleApi(tally.deskUrl);

  // One desk listening to the event stream, as in any NOC; it counts what a desk would be told.
  let eventCount = 0;
  let eventBytes = 0;
  const everDown = new Set<string>();
  let suspected = 0;
  let firstSeen = 0;
  events = new WebSocket(`${api.origin.replace('http', 'ws')}/api/events?token=${api.token}`);
  events.on('message', (data) => {
    eventCount++;
    eventBytes += (data as Buffer).length;
    const event = JSON.parse(data.toString()) as { type: string; payload: { hosts?: HostView[]; entry?: { kind: string; data?: { to?: string } } } };
    if (event.type === 'hosts.changed') for (const h of event.payload.hosts ?? []) if (h.health === 'down') everDown.add(h.id);
    const entry = event.payload.entry;
    if (event.type === 'journal.appended' && entry?.kind === 'config.first-seen') firstSeen++;
    if (event.type === 'journal.appended' && entry?.kind === 'host.health' && (entry.data?.to === 'attention' || entry.data?.to === 'down')) suspected++;
  });
  await new Promise((resolve, reject) => events!.once('open', resolve).once('error', reject));

  const t1 = Date.now();
  const queue = [...sim.manifest.hosts];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let h = queue.shift(); h; h = queue.shift()) {
        await api.call('command', 'host.add', { name: h.name, address: h.address, token: h.token, kind: 'transcoder', role: 'main', group: `rack-${h.worker}` });
      }
    }),
  );
  say(`${agents} hosts added in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  sayMemory('after the adds', await api.metrics());
  await waitFor(
    `all ${agents} hosts ok`,
    async () => (await api.call<HostView[]>('query', 'hosts.list', {})).filter((h) => h.health === 'ok').length === agents,
    300_000,
    1000,
  );
  say(`all ${agents} hosts ok ${((Date.now() - t1) / 1000).toFixed(1)} s after the first add`);
  // The steady state begins once the console has its first snapshot of every channel (a one-time sync per plant).
  // Bounded: if the console has not taken them all by then, the window starts anyway and the line says how far it got.
  await waitFor(`the first snapshot of all ${agents * channels} channels`, () => firstSeen >= agents * channels, SYNC_WAIT_MS, 1000).catch(() => undefined);
  const initialSyncS = (Date.now() - t1) / 1000;
  const syncedAtStart = firstSeen;
  sayMemory('after the first sync', await api.metrics());
  say(`${firstSeen} of ${agents * channels} channels have their first snapshot ${initialSyncS.toFixed(1)} s after the first add; warming up ${WARMUP_MS / 1000} s`);
  await new Promise((r) => setTimeout(r, WARMUP_MS));

  // The steady window. The scrape at its start resets the console's lag histogram ("since the previous scrape").
  await api.metrics();
  const ticks0 = cpuTicks(pid);
  const start = Date.now();
  const events0 = { count: eventCount, bytes: eventBytes };
  const suspected0 = suspected;
  let rssPeak = rssMb(pid);
  let lagMaxMs = 0;
  const p99s: number[] = [];
  let scrapesFailed = 0;
  while (Date.now() - start < seconds * 1000) {
    await new Promise((r) => setTimeout(r, Math.min(10_000, seconds * 1000 - (Date.now() - start))));
    rssPeak = Math.max(rssPeak, rssMb(pid));
    // A scrape the console cannot answer within 2 minutes is a failed scrape (counted), not the end of the bench.
    const text = await api.metrics(120_000).catch((err: Error) => (say(`scrape failed: ${err.message}`), scrapesFailed++, null));
    if (text === null) continue;
    p99s.push(gauge(text, 'tally_console_event_loop_lag_p99_seconds') * 1000);
    sayMemory('window', text);
    lagMaxMs = Math.max(lagMaxMs, gauge(text, 'tally_console_event_loop_lag_max_seconds') * 1000);
  }
  const elapsed = (Date.now() - start) / 1000;
  if (heapDir) {
    process.kill(pid, 'SIGUSR2');
    say(`heap snapshot asked for in ${heapDir}`);
  }
  const cpuPct = ((cpuTicks(pid) - ticks0) / CLK_TCK / elapsed) * 100;
  const hosts = await api.call<HostView[]>('query', 'hosts.list', {});
  const healthy = hosts.filter((h) => h.health === 'ok').length;
  say(`window ${elapsed.toFixed(1)} s; per-10 s lag p99 (ms): ${p99s.map((v) => v.toFixed(1)).join(' ')}; events to the desk: ${((eventCount - events0.count) / elapsed).toFixed(0)}/s, ${((eventBytes - events0.bytes) / elapsed / 1024).toFixed(0)} KiB/s`);
  console.log(
    `BENCH scale agents=${agents} channels=${agents * channels} lag_p99_ms=${p99s.length ? Math.max(...p99s).toFixed(1) : 'n/a'} cpu_pct=${cpuPct.toFixed(1)} rss_mb=${rssPeak.toFixed(0)} healthy=${healthy} false_down=${everDown.size} suspected=${suspected} suspected_in_window=${suspected - suspected0} lag_max_ms=${lagMaxMs.toFixed(1)} window_s=${elapsed.toFixed(0)} scrapes_failed=${scrapesFailed} initial_sync_s=${initialSyncS.toFixed(0)} first_snapshots=${syncedAtStart}/${agents * channels}`,
  );
} finally {
  events?.terminate();
  // The simulator first, so the console is quiet and can write its profile (if asked) before it is stopped.
  await sim?.stop();
  await tally?.stop();
  rmSync(dir, { recursive: true, force: true });
}
