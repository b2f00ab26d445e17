/**
 * Drift (DESIGN §6): how long an out-of-band edit of a channel file takes to be in the console's snapshot store.
 * One built agent (system + transcoder roles) runs a few real lavfi channels; the real console engine (createConsole,
 * conf store and snapshot store in a temp folder) watches it. N edits of the channel files, spaced out and spread over
 * the channels, each a real config change (ffmpeg restarts on it); each is timed from the write to the
 * `snapshot.recorded` event carrying its hash — the version is then on disk in the store.
 *
 *   npm run bench -- drift        (BENCH_EDITS=40 for more edits, BENCH_CHANNELS=5, BENCH_SPACING_MS=1500)
 *   → BENCH drift edits=N p50_ms=… p95_ms=…        goal: p95 ≤ 1000
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_AGENT, type LabAgent, startLabAgent } from '../../agents/lab/lab';
import { channelFileBytes, labTestChannel, labTranscoderSection, seedLabChannels } from '../../agents/lab/transcoder-lab';
import type { CallContext, TallyEvent } from '../../main/core/api';
import { createConsole, type TallyConsole } from '../../main/core/console';
import { createConfStore } from '../../main/core/store/conf-store';
import { processAlive, waitFor } from '../integration/helpers/agent-client';

const EDITS = Math.max(20, Number(process.env.BENCH_EDITS ?? 20));
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 3);
/** Edits of one file closer than a heartbeat would measure coalescing, not drift; spacing is jittered ±25 %. */
const SPACING_MS = Number(process.env.BENCH_SPACING_MS ?? 1200);
const EDIT_TIMEOUT_MS = 10_000;
const op: CallContext = { access: 'operator', operator: 'bench', transport: 'http' };
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-bench-drift-'));
  const dataDir = path.join(dir, 'console');
  const section = labTranscoderSection(dir, 'bench-tc');
  const names = Array.from({ length: CHANNELS }, (_, i) => `drift-${i + 1}`);
  seedLabChannels(section.channelsDir, names);
  const ffmpegPids = new Set<number>();
  let agent: LabAgent | undefined;
  let engine: TallyConsole | undefined;
  try {
    agent = await startLabAgent({ name: 'bench-tc', ip: '127.0.0.2', roles: ['system', 'transcoder'], extra: { transcoder: section } }, { dir, agentEntry: BUILT_AGENT });
    engine = createConsole({ store: createConfStore(dataDir), dataDir });
    const waiting = new Map<string, (at: number) => void>();
    engine.subscribe((event: TallyEvent) => {
      if (event.type === 'channels.changed') for (const c of event.payload.channels) if (c.pid) ffmpegPids.add(c.pid);
      if (event.type !== 'snapshot.recorded') return;
      waiting.get(`${event.payload.channel}:${event.payload.entry.hash}`)?.(performance.now());
    });
    // Where the time goes: first heartbeat that reports the new hash (agent side), then the store (console side).
    const heardAt = new Map<string, number>();
    engine.fleet.onMessage((_rt, message) => {
      if (message.type !== 'heartbeat') return;
      for (const c of message.status.transcoder?.channels ?? []) {
        const key = `${c.name}:${c.configHash}`;
        if (waiting.has(key) && !heardAt.has(key)) heardAt.set(key, performance.now());
      }
    });
    engine.start();
    const live = engine;
    const { id: hostId } = await live.handlers.commands['host.add']({ name: 'bench-tc', address: agent.address, token: agent.token, kind: 'transcoder', role: 'main', group: '' }, op);
    await waitFor(async () => {
      const listed = await live.handlers.queries['channels.list']({ hostId }, op);
      const stored = await Promise.all(names.map(async (channel) => (await live.handlers.queries['channel.history']({ hostId, channel }, op)).entries.length));
      return listed.length === CHANNELS && listed.every((c) => c.status.state === 'running') && stored.every((n) => n > 0);
    }, 60_000, `${CHANNELS} channels running and in the snapshot store`);

    const latencies: number[] = [];
    const heard: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const channel = names[i % names.length]!;
      const bytes = channelFileBytes({ ...labTestChannel(channel, i % names.length), video: { preset: 'ultrafast', bitrateKbps: 200 + 10 * (i + 1), keyframeSec: 2 } });
      const key = `${channel}:${sha256(bytes)}`;
      const recorded = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`edit ${i + 1} of ${channel} was not in the snapshot store after ${EDIT_TIMEOUT_MS} ms`)), EDIT_TIMEOUT_MS);
        waiting.set(key, (at) => (clearTimeout(timer), resolve(at)));
      });
      const writtenAt = performance.now();
      writeFileSync(path.join(section.channelsDir, `${channel}.json`), bytes);
      const storedAt = await recorded;
      latencies.push(storedAt - writtenAt);
      heard.push((heardAt.get(key) ?? storedAt) - writtenAt);
      waiting.delete(key);
      await sleep(SPACING_MS * (0.75 + Math.random() * 0.5));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    process.stderr.write(`drift: write → stored ${latencies.map((ms) => ms.toFixed(0)).join(' ')} ms (max ${sorted.at(-1)!.toFixed(0)})\n`);
    process.stderr.write(`drift: write → heartbeat with the new hash ${heard.map((ms) => ms.toFixed(0)).join(' ')} ms\n`);
    process.stdout.write(`BENCH drift edits=${EDITS} p50_ms=${percentile(sorted, 50).toFixed(0)} p95_ms=${percentile(sorted, 95).toFixed(0)}\n`);
  } finally {
    await engine?.stop();
    await agent?.stop();
    for (const pid of ffmpegPids) {
      if (processAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ffmpeg')) {
        process.stderr.write(`drift: killing leftover ffmpeg ${pid}\n`);
        process.kill(pid, 'SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`drift failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
