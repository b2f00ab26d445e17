/**
 * Wall benchmark (DESIGN §6): the built wall page in Chromium with 1,000 host tiles updating at 1 Hz for a simulated
 * hour, its frame time and its JS heap.
 *
 * Time runs faster than real: the page gets the desktop app's transport (a `window.tally` bridge, injected before
 * the app loads) backed by a simulated fleet in the page, and one animation frame carries one simulated second — a
 * batch of 1,000 changed hosts, as the engine coalesces them, plus now and then a health flip, an alert raised or
 * resolved and a journal line. So every measured frame renders a full update (at real 1 Hz, 59 of 60 frames would be
 * idle and the p95 would hide the work), and an hour takes 3,600 frames instead of 3,600 seconds. Driving a real
 * `tally serve` with 1,000 simulated agents would add the engine and the WebSocket, which the scale benchmark measures;
 * this one isolates the page: the store, React and Chromium's layout and paint.
 *
 * Frame time: requestAnimationFrame deltas during the hour. Heap: CDP Runtime.getHeapUsage after a forced GC, once the
 * first simulated minute has warmed everything up and again at the end.
 *
 * Prints: BENCH wall tiles=1000 frame_p95_ms=… heap_start_mb=… heap_end_mb=… heap_growth_pct=…
 * Usage: npx tsx test/bench/wall.ts [--tiles 1000] [--seconds 3600]   (needs `npm run build` first)
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../helpers/browser';

const RENDERER = path.resolve('out/renderer');
/** Past the renderer's ring buffers (120 samples a host) and an alert churn cycle: after it, memory should be flat. */
const WARMUP_SECONDS = 180;

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** The built renderer over HTTP on loopback (module scripts do not load from file://). */
function serveRenderer(): Promise<http.Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://wall');
    let file = path.resolve(RENDERER, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(RENDERER) || !existsSync(file) || !statSync(file).isFile()) file = path.join(RENDERER, 'index.html');
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface BenchApi {
  /** Feeds `seconds` simulated seconds, one per animation frame; resolves with the frame deltas in ms. */
  run(seconds: number): Promise<number[]>;
}

/**
 * Runs in the page before the app: a simulated fleet behind the PreloadBridge the renderer expects from Electron.
 * Self-contained (it is serialized into the page).
 */
function installSimulatedFleet(tiles: number): void {
  type Listener = (event: unknown) => void;
  const listeners = new Set<Listener>();
  const start = Date.now();
  let simSecond = 0;
  const kinds = ['transcoder', 'origin', 'archive', 'storage'];
  const hosts = Array.from({ length: tiles }, (_, i) => ({
    id: `h-${i}`,
    name: `host-${String(i).padStart(4, '0')}`,
    address: `10.0.${i >> 8}.${i & 255}:7411`,
    kind: kinds[i % kinds.length],
    role: i % 20 === 0 ? 'reserve' : 'main',
    group: `group-${i % 10}`,
    health: 'ok',
    healthSince: start,
    healthReason: null as string | null,
    link: 'connected',
    linkError: null,
    agentVersion: '0.1.0',
    agentRoles: ['system'],
    lastHeartbeatAt: start,
    system: { hostname: `host-${i}`, cpuPct: 20, memPct: 40, memUsedBytes: 4e9, memTotalBytes: 1.6e10, diskMaxPct: 50, cpuCores: 8, uptimeSec: 1000 },
  }));
  const emit = (type: string, payload: unknown) => {
    for (const l of listeners) l({ type, payload });
  };
  const alertOf = (i: number, status: string, nowMs: number) => ({
    id: `a-${i}-${simSecond}`,
    key: `host:h-${i}:health`,
    kind: 'host.health',
    severity: 'warning',
    hostId: `h-${i}`,
    summary: `host-${i} missed heartbeats`,
    hostDown: false,
    status,
    firedAtMs: nowMs,
    lastSeenAtMs: nowMs,
    raiseCount: 1,
    ack: null,
    resolvedAtMs: status === 'resolved' ? nowMs : null,
    resolvedBy: null,
    resolveReason: status === 'resolved' ? 'cleared' : null,
    flapping: false,
    flappingSinceMs: null,
    suppressedBy: null,
    notifiedSeverity: null,
  });

  const openAlerts = new Map<string, ReturnType<typeof alertOf>>();

  /** One simulated second: every host reports; every 10 s the next host wobbles (an alert fires) and the last recovers. */
  const tick = () => {
    simSecond++;
    const nowMs = start + simSecond * 1000;
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i]!;
      const cpuPct = Math.round((50 + 45 * Math.sin(simSecond / 30 + i)) * 10) / 10;
      hosts[i] = { ...h, lastHeartbeatAt: nowMs, system: { ...h.system, cpuPct, memPct: Math.round((40 + 10 * Math.cos(simSecond / 60 + i)) * 10) / 10, uptimeSec: h.system.uptimeSec + 1 } };
    }
    if (simSecond % 10 === 0) {
      const wobbling = (simSecond / 10) % hosts.length;
      const recovering = (wobbling + hosts.length - 1) % hosts.length;
      for (const [i, health] of [[recovering, 'ok'], [wobbling, 'attention']] as const) {
        hosts[i] = { ...hosts[i]!, health, healthSince: nowMs, healthReason: health === 'ok' ? null : 'agent silent to the console' };
        const key = `host:h-${i}:health`;
        const fired = openAlerts.get(key);
        const alert = health === 'ok' ? (fired ? { ...fired, status: 'resolved', resolvedAtMs: nowMs, resolveReason: 'cleared' } : null) : alertOf(i, 'firing', nowMs);
        if (!alert) continue;
        if (health === 'ok') openAlerts.delete(key);
        else openAlerts.set(key, alert);
        emit('alerts.changed', { alerts: [alert], unacknowledged: openAlerts.size });
        emit('journal.appended', { entry: { id: `j-${simSecond}-${i}`, at: nowMs, kind: 'host.health', severity: 'warning', message: alert.summary, hostId: alert.hostId, operator: null } });
      }
    }
    emit('hosts.changed', { hosts: hosts.slice() });
  };

  const answers: Record<string, () => unknown> = {
    'session.get': () => ({ access: 'viewer', operator: null, transport: 'ipc' }),
    'hosts.list': () => hosts,
    'host.metrics': () => [],
    'journal.recent': () => [],
    'settings.get': () => ({
      health: { heartbeatMs: 500, suspectAfterMs: 1200, tAddMs: 500, confirmChecks: 3, checkTimeoutMs: 400, tMainMs: 5000 },
      wall: { displayId: null, rotateSec: 600 },
    }),
    'fleet.status': () => ({ isolated: false, monitored: hosts.length, silent: 0 }),
    'alerts.list': () => ({ open: [...openAlerts.values()], resolved: [], silences: [], unacknowledged: openAlerts.size, stateProblem: null }),
    'alarm.get': () => ({ sounding: false, muted: false, volumePct: 70, alertIds: [] }),
  };
  const w = window as unknown as { tally: unknown; __bench: BenchApi };
  w.tally = {
    query: async (name: string) => {
      const answer = answers[name];
      if (!answer) throw new Error(`the wall bench does not simulate ${name}`);
      return answer();
    },
    command: async (name: string) => {
      throw new Error(`the wall is read-only (${name})`);
    },
    onEvent(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  w.__bench = {
    run: (seconds) =>
      new Promise((resolve) => {
        const deltas: number[] = [];
        let last = performance.now();
        let left = seconds;
        const frame = (now: number) => {
          deltas.push(now - last);
          last = now;
          if (left-- <= 0) return resolve(deltas);
          tick();
          requestAnimationFrame(frame);
        };
        requestAnimationFrame((now) => {
          last = now;
          tick();
          left--;
          requestAnimationFrame(frame);
        });
      }),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const tiles = arg('tiles', 1000);
  const seconds = arg('seconds', 3600);
  if (!existsSync(path.join(RENDERER, 'index.html'))) throw new Error('the renderer is not built: run `npx electron-vite build` (or npm run build) first');
  const server = await serveRenderer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // tsx compiles with esbuild's keepNames, whose __name helper the serialized function calls: give the page one.
    await page.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    await page.addInitScript(installSimulatedFleet, tiles);
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html#/wall`);
    await page
      .locator('.tile[data-host="host-0000"]')
      .waitFor({ timeout: 30_000 })
      .catch((err: Error) => {
        throw new Error(`the wall did not show its first tile: ${err.message.split('\n')[0]} ${errors.join('; ')}`, { cause: err });
      });
    const cdp = await page.context().newCDPSession(page);
    const heapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize / 2 ** 20;
    };
    await page.evaluate((s) => (window as unknown as { __bench: BenchApi }).__bench.run(s), WARMUP_SECONDS);
    const heapStart = await heapMb();
    const deltas = await page.evaluate((s) => (window as unknown as { __bench: BenchApi }).__bench.run(s), seconds);
    const heapEnd = await heapMb();
    if (process.env.TALLY_BENCH_SCREENSHOT) await page.screenshot({ path: process.env.TALLY_BENCH_SCREENSHOT });
    // The wall shows a screenful of tiles per turn ("Overview 1/N"); every host must be on one of the screens.
    const perScreen = await page.locator('.tile').count();
    const screens = Number(/\d+\/(\d+)/.exec((await page.locator('.wall-screen').textContent()) ?? '')?.[1] ?? 1);
    if (perScreen === 0 || perScreen * screens < tiles) throw new Error(`the wall reaches ${perScreen} × ${screens} tiles, not ${tiles}`);
    process.stderr.write(`per_screen=${perScreen} screens=${screens} `);
    if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
    const p95 = percentile(deltas, 95);
    process.stderr.write(`frames=${deltas.length} p50_ms=${percentile(deltas, 50).toFixed(1)} p99_ms=${percentile(deltas, 99).toFixed(1)} max_ms=${Math.max(...deltas).toFixed(1)}\n`);
    console.log(
      `BENCH wall tiles=${tiles} frame_p95_ms=${p95.toFixed(1)} heap_start_mb=${heapStart.toFixed(1)} heap_end_mb=${heapEnd.toFixed(1)} heap_growth_pct=${((100 * (heapEnd - heapStart)) / heapStart).toFixed(1)}`,
    );
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((err: Error) => {
  console.error(`bench wall: ${err.message}`);
  process.exit(1);
});
