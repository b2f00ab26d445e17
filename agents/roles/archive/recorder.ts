/**
 * Supervises one stream's ffmpeg recorder: spawns it with an args array, tails the segment list to learn which staged
 * files are complete, hands each one over (named by its start time), restarts ffmpeg with back-off while recording
 * is wanted, and stops it gracefully (SIGINT, then SIGKILL) when it is not.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RecorderState } from '../../protocol';
import { parseSegmentList, recorderArgs, STAGED_SEGMENT_PATTERN } from './ffmpeg-args';

export interface StagedSegment {
  stagedPath: string;
  startMs: number;
  durationMs: number;
}

export interface RecorderOptions {
  stream: string;
  input: string;
  ffmpegPath: string;
  segmentSeconds: number;
  /** Staging folder of this stream, on the same filesystem as the stream's folder. */
  stagingDir: string;
  /** Moves a complete staged file into the tree and indexes it. */
  onSegment(segment: StagedSegment): Promise<void>;
  report(kind: string, message: string): void;
}

const LIST_POLL_MS = 250;
const STOP_GRACE_MS = 4000;
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
const HEALTHY_RUN_MS = 30_000;

export class Recorder {
  state: RecorderState = 'off';
  restarts = 0;
  lastError: string | null = null;
  private wanted = false;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private backoffMs = MIN_BACKOFF_MS;
  private backoffTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: RecorderOptions) {}

  get recording(): boolean {
    return this.wanted;
  }

  /** Finishes staged runs left by an agent that died: their listed segments and leftovers go into the tree. */
  async recoverLeftovers(): Promise<void> {
    await mkdir(this.opts.stagingDir, { recursive: true });
    for (const run of await readdir(this.opts.stagingDir)) {
      const runDir = path.join(this.opts.stagingDir, run);
      await new StagedRun(runDir, this.opts).finish(undefined);
    }
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.backoffMs = MIN_BACKOFF_MS;
    this.launch();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(killer);
    } else {
      await this.exited;
    }
    this.state = 'off';
  }

  private launch(): void {
    const runDir = path.join(this.opts.stagingDir, `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
    const run = new StagedRun(runDir, this.opts);
    this.state = 'starting';
    this.exited = (async () => {
      const startedAt = Date.now();
      try {
        await mkdir(runDir, { recursive: true });
        const { code, lastLine } = await this.runFfmpeg(run);
        if (this.wanted) this.lastError = `ffmpeg exited with ${code}${lastLine ? `: ${lastLine}` : ''}`.slice(0, 1024);
      } catch (err) {
        this.lastError = (err as Error).message;
        this.opts.report('archive.recorder-failed', `${this.opts.stream}: ${this.lastError}`);
      } finally {
        this.child = undefined;
        await run.finish(run.anchorMs).catch((err: Error) => this.opts.report('archive.recorder-failed', `${this.opts.stream}: ${err.message}`));
      }
      if (!this.wanted) return;
      if (Date.now() - startedAt > HEALTHY_RUN_MS) this.backoffMs = MIN_BACKOFF_MS;
      this.opts.report('archive.recorder-exited', `${this.opts.stream}: recorder exited (${this.lastError ?? 'no error'}); restarting in ${this.backoffMs} ms`);
      this.state = 'backoff';
      this.restarts++;
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        if (this.wanted) this.launch();
      }, this.backoffMs);
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    })();
  }

  /** Runs ffmpeg to its end; answers its exit code and the last line it wrote to stderr. */
  private runFfmpeg(run: StagedRun): Promise<{ code: number | null; lastLine: string }> {
    const args = recorderArgs({
      input: this.opts.input,
      segmentSeconds: this.opts.segmentSeconds,
      listPath: run.listPath,
      outputPattern: path.join(run.dir, '%09d.ts'),
    });
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      this.child = child;
      const poller = setInterval(() => void run.poll().catch((err: Error) => this.opts.report('archive.recorder-failed', err.message)), LIST_POLL_MS);
      let lastLine = '';
      // ffmpeg logs decoder noise while it joins a live input; a line matters only as the reason it exited.
      createInterface({ input: child.stderr! }).on('line', (line) => {
        if (line.trim()) lastLine = line.slice(0, 900);
      });
      child.once('spawn', () => {
        this.state = 'running';
        this.lastError = null;
      });
      child.once('error', (err) => {
        clearInterval(poller);
        reject(new Error(`cannot run ${this.opts.ffmpegPath}: ${err.message}`));
      });
      child.once('close', (code) => {
        clearInterval(poller);
        resolve({ code, lastLine });
      });
    });
  }
}

/** One ffmpeg run's staging folder: numbered files plus the CSV list of the ones that are closed. */
class StagedRun {
  readonly listPath: string;
  anchorMs: number | undefined;
  private readOffset = 0;
  private handed = new Set<string>();
  private lastEndMs: number | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly opts: RecorderOptions,
  ) {
    this.listPath = path.join(dir, 'segments.csv');
  }

  /** Hands over every segment the list says is closed. Serialized: one poll at a time. */
  poll(): Promise<void> {
    this.polling = this.polling.then(() => this.pollOnce());
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.listPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const end = text.lastIndexOf('\n') + 1;
    if (end <= this.readOffset) return;
    const { segments, problems } = parseSegmentList(text.slice(this.readOffset, end));
    this.readOffset = end;
    for (const p of problems) this.opts.report('archive.recorder-list', `${this.opts.stream}: ${p}`);
    for (const seg of segments) {
      // The first closed segment pins the run's wall clock: it started (end - start) seconds before now.
      this.anchorMs ??= Date.now() - Math.round(seg.endSec * 1000);
      const startMs = this.anchorMs + Math.round(seg.startSec * 1000);
      const durationMs = Math.round((seg.endSec - seg.startSec) * 1000);
      await this.handOver(seg.file, startMs, durationMs);
    }
  }

  /** After ffmpeg has exited: the rest of the list, then files it never listed (killed mid-segment), then cleanup. */
  async finish(anchorMs: number | undefined): Promise<void> {
    if (anchorMs === undefined) {
      // A run left by a dead agent: the list's mtime is when its last line was written.
      const listStat = await stat(this.listPath).catch(() => undefined);
      if (listStat) {
        const { segments } = parseSegmentList(await readFile(this.listPath, 'utf8'));
        const last = segments[segments.length - 1];
        if (last) this.anchorMs = Math.round(listStat.mtimeMs - last.endSec * 1000);
      }
    }
    await this.poll();
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const file of names.filter((n) => STAGED_SEGMENT_PATTERN.test(n) && !this.handed.has(n)).sort()) {
      const st = await stat(path.join(this.dir, file));
      if (st.size === 0) continue;
      const startMs = Math.round(this.lastEndMs ?? st.mtimeMs - this.opts.segmentSeconds * 1000);
      await this.handOver(file, startMs, Math.max(0, Math.round(st.mtimeMs - startMs)));
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async handOver(file: string, startMs: number, durationMs: number): Promise<void> {
    if (this.handed.has(file)) return;
    this.handed.add(file);
    this.lastEndMs = startMs + durationMs;
    await this.opts.onSegment({ stagedPath: path.join(this.dir, file), startMs, durationMs });
  }
}
