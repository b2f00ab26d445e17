/**
 * Resync benchmark (DESIGN §6): an archive of segment files on member A (2 GiB by default); member B lacks a share of
 * them (runs of segments, as outages leave: half by default, so ≥ 1 GiB is moved). Tally's real pull path between two
 * real agents over loopback is timed against rsync (daemon on 127.0.0.1, the same files, the same starting state) in
 * the same run: `rsync -a` as it is used (no fsync: its copies may still be in the page cache when it returns), and
 * `rsync -a --fsync` (like for like: every file on disk before rsync is done, as Tally's are before they get a name).
 *
 * Prints: BENCH resync bytes=… tally_mb_s=… rsync_mb_s=… ratio=… resent_bytes=0 identical=yes archive_bytes=…
 *         rsync_fsync_mb_s=… ratio_fsync=…
 * (`bytes` is what was missing and moved; `ratio` is tally over plain `rsync -a`, the figure the goal is about.)
 * Usage: npx tsx test/bench/resync.ts [--gib 2] [--missing-pct 50] [--concurrency 8] [--built]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type Lab, startLab } from '../../agents/lab/lab';
import { ArchiveStatus, segmentNameForStartMs } from '../../agents/protocol/archive';
import { compare, execute, get, type Member, runJob, treeHashes, waitFor } from '../integration/helpers/archive-console';

const STREAM = 'bench';
const SEGMENT_BYTES = 2 * 1024 * 1024;
const RUN_LENGTH = 16;

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const statusOf = (m: Member) => get(m, '/v1/archive/status', ArchiveStatus);

function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** Pulls the module into `target` with rsync over loopback; answers the seconds it took. */
function timeRsync(port: number, target: string, extra: string[]): number {
  flushPageCache();
  const start = process.hrtime.bigint();
  const r = spawnSync('rsync', ['-a', ...extra, `rsync://127.0.0.1:${port}/bench/`, `${target}/`], { encoding: 'utf8' });
  const sec = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`rsync ${extra.join(' ')} failed (${r.status}): ${r.stderr}`);
  return sec;
}

function flushPageCache(): void {
  const r = spawnSync('sync', [], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`sync failed with ${r.status}`);
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startRsyncDaemon(dir: string, modulePath: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freeTcpPort();
  const conf = path.join(dir, 'rsyncd.conf');
  writeFileSync(
    conf,
    [
      `port = ${port}`,
      'address = 127.0.0.1',
      'use chroot = false',
      `uid = ${process.getuid?.() ?? 0}`,
      `gid = ${process.getgid?.() ?? 0}`,
      `log file = ${path.join(dir, 'rsyncd.log')}`,
      '[bench]',
      `path = ${modulePath}`,
      'read only = true',
      '',
    ].join('\n'),
  );
  const child = spawn('rsync', ['--daemon', '--no-detach', `--config=${conf}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor('the rsync daemon to listen', 10_000, () =>
    new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    }),
  );
  return { port, child };
}

async function main(): Promise<void> {
  const gib = arg('gib', 2);
  const missingPct = arg('missing-pct', 50);
  const count = Math.ceil((gib * 1024 * 1024 * 1024) / SEGMENT_BYTES);
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-bench-resync-'));
  const rootA = path.join(dir, 'a-dvr');
  const rootB = path.join(dir, 'b-dvr');
  const rsyncTarget = path.join(dir, 'rsync-target');
  const rsyncFsyncTarget = path.join(dir, 'rsync-fsync-target');
  let lab: Lab | undefined;
  let rsyncd: ChildProcess | undefined;
  try {
    for (const d of [path.join(rootA, STREAM), path.join(rootB, STREAM), rsyncTarget, rsyncFsyncTarget]) mkdirSync(d, { recursive: true });
    // A holds every segment. B and the rsync targets hold the same subset (hard links: no extra disk, same mtime).
    const t0 = Date.UTC(2025, 0, 1, 0, 0, 0);
    const buf = Buffer.alloc(SEGMENT_BYTES);
    let missingBytes = 0;
    for (let i = 0; i < count; i++) {
      const name = segmentNameForStartMs(t0 + i * 2000);
      randomFillSync(buf);
      const file = path.join(rootA, STREAM, name);
      writeFileSync(file, buf);
      const missing = Math.floor(i / RUN_LENGTH) % Math.round(100 / missingPct) === 0;
      if (missing) missingBytes += SEGMENT_BYTES;
      else {
        linkSync(file, path.join(rootB, STREAM, name));
        linkSync(file, path.join(rsyncTarget, name));
        linkSync(file, path.join(rsyncFsyncTarget, name));
      }
    }
    const archive = (root: string) => ({
      archive: { root, ffmpegPath: '/usr/bin/ffmpeg', pullConcurrency: arg('concurrency', 8), scanIntervalMs: 600_000, scrubBytesPerSec: 0, streams: [{ name: STREAM, input: 'udp://127.0.0.1:9', record: false }] },
    });
    lab = await startLab(
      [
        { name: 'bench-a', ip: '127.0.68.1', roles: ['archive'], extra: archive(rootA) },
        { name: 'bench-b', ip: '127.0.68.2', roles: ['archive'], extra: archive(rootB) },
      ],
      {
        dir,
        // --built: the bundled agent (dist/agent, `npm run build:node` first) instead of the sources through tsx.
        nodeArgs: [...(process.argv.includes('--built') ? [] : ['--import', 'tsx']), ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])],
        ...(process.argv.includes('--built') ? {} : { agentEntry: 'agents/main.ts' }),
      },
    );
    const [a, b] = lab.agents.map((x) => ({ name: x.name, address: x.address, token: x.token })) as [Member, Member];
    const presentCount = count - missingBytes / SEGMENT_BYTES;
    await waitFor('both agents to index what is on disk', 120_000, async () => {
      const [sa, sb] = await Promise.all([statusOf(a), statusOf(b)]);
      return sa.streams[0]!.segments === count && sb.streams[0]!.segments === presentCount;
    }, 200);

    flushPageCache(); // both timed runs start with no dirty pages waiting for the disk
    const servedBefore = (await statusOf(a)).servedBytes;
    const cpuBefore = lab.agents.map((x) => cpuSecondsOf(x.pid()));
    const tallyStart = process.hrtime.bigint();
    const { plan } = await compare([a, b], STREAM);
    const jobs = await execute([a, b], plan, 300_000);
    const tallySec = Number(process.hrtime.bigint() - tallyStart) / 1e9;
    const cpuSec = lab.agents.map((x, i) => (cpuSecondsOf(x.pid()) - cpuBefore[i]!).toFixed(2));
    const bad = jobs.filter((j) => j.state !== 'done');
    if (bad.length > 0) throw new Error(`resync jobs did not finish cleanly: ${JSON.stringify(bad.map((j) => [j.state, j.error, j.refused[0]]))}`);
    const served = (await statusOf(a)).servedBytes - servedBefore;
    if (plan.bytesTotal !== missingBytes) throw new Error(`plan moves ${plan.bytesTotal} bytes where ${missingBytes} are missing`);
    // A careless console asking B for every segment again: B must find them present and fetch nothing.
    const all = [...treeHashes(path.join(rootA, STREAM)).keys()];
    const again = await runJob(b, { stream: STREAM, peer: { address: a.address, token: a.token }, segments: all }, 120_000);
    if (again.segmentsPresent !== all.length) throw new Error(`asked again, B found ${again.segmentsPresent} of ${all.length} present`);
    const resentBytes = served - missingBytes + ((await statusOf(a)).servedBytes - servedBefore - served);

    const { port, child } = await startRsyncDaemon(dir, path.join(rootA, STREAM));
    rsyncd = child;
    const rsyncSec = timeRsync(port, rsyncTarget, []);
    // Like for like: rsync made to fsync what it writes, as tally does.
    const rsyncFsyncSec = timeRsync(port, rsyncFsyncTarget, ['--fsync']);

    const ha = treeHashes(path.join(rootA, STREAM));
    const hb = treeHashes(path.join(rootB, STREAM));
    const same = (x: Map<string, string>) => x.size === ha.size && [...ha].every(([k, v]) => x.get(k) === v);
    const identical = same(hb) && same(treeHashes(rsyncTarget)) && same(treeHashes(rsyncFsyncTarget));
    const tallyMbS = missingBytes / 1e6 / tallySec;
    const rsyncMbS = missingBytes / 1e6 / rsyncSec;
    const mbS = (sec: number) => (missingBytes / 1e6 / sec).toFixed(1);
    console.error(
      `${count} segments of ${SEGMENT_BYTES} bytes, ${missingPct}% missing on B; tally ${tallySec.toFixed(2)} s in ${jobs.length} job(s) ` +
        `(jobs ran ${jobs.map((j) => ((j.finishedAt! - j.startedAt) / 1000).toFixed(2)).join(', ')} s) ` +
        `(cpu s: sender ${cpuSec[0]}, receiver ${cpuSec[1]}); rsync -a ${rsyncSec.toFixed(2)} s; rsync -a --fsync ${rsyncFsyncSec.toFixed(2)} s = ${mbS(rsyncFsyncSec)} MB/s; ` +
        `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    );
    const rsyncFsyncMbS = missingBytes / 1e6 / rsyncFsyncSec;
    console.log(
      `BENCH resync bytes=${missingBytes} tally_mb_s=${tallyMbS.toFixed(1)} rsync_mb_s=${rsyncMbS.toFixed(1)} ratio=${(tallyMbS / rsyncMbS).toFixed(2)} resent_bytes=${resentBytes} identical=${identical ? 'yes' : 'no'}` +
        ` archive_bytes=${count * SEGMENT_BYTES} rsync_fsync_mb_s=${rsyncFsyncMbS.toFixed(1)} ratio_fsync=${(tallyMbS / rsyncFsyncMbS).toFixed(2)}`,
    );
    if (!identical || resentBytes !== 0) process.exitCode = 1;
  } finally {
    if (rsyncd && rsyncd.exitCode === null) {
      const exited = new Promise((resolve) => rsyncd!.once('exit', resolve));
      rsyncd.kill('SIGTERM');
      await exited;
    }
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`resync bench failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
