/**
 * Agent footprint (DESIGN §6): one built agent (system + transcoder roles, as on a real transcoder host) supervising
 * 10 lavfi channels with a console listening on its stream, measured for 60 s — the agent process alone, ffmpeg
 * excluded: peak RSS from /proc/PID/status, CPU from the utime+stime ticks in /proc/PID/stat.
 *
 *   npx tsx test/bench/agent-footprint.ts   (BENCH_SECONDS=10 for a quick look; BENCH_ROLES=transcoder for the role alone)
 *   → BENCH agent-footprint channels=10 rss_mb=… cpu_pct=…
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_AGENT, type LabAgent, startLabAgent } from '../../agents/lab/lab';
import { labTranscoderSection, seedLabChannels } from '../../agents/lab/transcoder-lab';
import { RoleName } from '../../agents/protocol';
import { type AgentStream, openAgentStream, processAlive, waitFor } from '../integration/helpers/agent-client';

const CHANNELS = 10;
const MEASURE_SEC = Number(process.env.BENCH_SECONDS ?? 60);
/** A transcoder host runs both; BENCH_ROLES=transcoder isolates the transcoder role's share. */
const ROLES = RoleName.array().parse((process.env.BENCH_ROLES ?? 'system,transcoder').split(','));
const WARMUP_TIMEOUT_MS = 60_000;
const SETTLE_MS = 5000;
const SAMPLE_MS = 1000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const clockTicksPerSec = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of one process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the command name). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-bench-footprint-'));
  const section = labTranscoderSection(dir, 'bench');
  seedLabChannels(section.channelsDir, Array.from({ length: CHANNELS }, (_, i) => `ch-${String(i + 1).padStart(2, '0')}`));
  const ffmpegPids = new Set<number>();
  let agent: LabAgent | undefined;
  let stream: AgentStream | undefined;
  try {
    agent = await startLabAgent(
      { name: 'bench', ip: '127.0.0.2', roles: ROLES, extra: { transcoder: section } },
      { dir, agentEntry: BUILT_AGENT },
    );
    stream = await openAgentStream(agent);
    stream.onHeartbeat((hb) => {
      for (const c of hb.status.transcoder?.channels ?? []) if (c.pid) ffmpegPids.add(c.pid);
    });
    const live = stream;
    await waitFor(() => {
      const channels = live.heartbeats.at(-1)?.status.transcoder?.channels ?? [];
      return channels.length === CHANNELS && channels.every((c) => c.state === 'running');
    }, WARMUP_TIMEOUT_MS, `${CHANNELS} channels running`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));

    const pid = agent.pid();
    const startTicks = cpuTicks(pid);
    const startedAt = process.hrtime.bigint();
    let peakRss = rssBytes(pid);
    for (let i = 0; i < MEASURE_SEC * (1000 / SAMPLE_MS); i++) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      peakRss = Math.max(peakRss, rssBytes(pid));
    }
    const elapsedSec = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const cpuPct = ((cpuTicks(pid) - startTicks) / clockTicksPerSec / elapsedSec) * 100;
    const running = live.heartbeats.at(-1)?.status.transcoder?.channels.filter((c) => c.state === 'running').length ?? 0;
    if (running !== CHANNELS) throw new Error(`only ${running} of ${CHANNELS} channels were running at the end`);
    if (live.rejected.length) throw new Error(`the agent sent frames a console would reject: ${live.rejected[0]}`);
    process.stdout.write(`BENCH agent-footprint channels=${CHANNELS} rss_mb=${(peakRss / 1024 / 1024).toFixed(1)} cpu_pct=${cpuPct.toFixed(2)}\n`);
  } finally {
    stream?.close();
    await agent?.stop();
    for (const pid of ffmpegPids) {
      if (processAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ffmpeg')) {
        process.stderr.write(`agent-footprint: killing leftover ffmpeg ${pid}\n`);
        process.kill(pid, 'SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`agent-footprint failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
