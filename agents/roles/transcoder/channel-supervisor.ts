/**
 * One channel's ffmpeg process: spawns it (argument array, no shell), reads `-progress` and stderr, restarts it with
 * back-off when it exits or stalls, and stops it on request (SIGTERM, then SIGKILL after a grace period).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { type BackoffSettings, type ChannelExit, MAX_ERROR_LINE_CHARS, type TranscoderEventKind } from '../../protocol';
import type { RoleContext } from '../role';
import { nextFailureStreak, restartDelayMs } from './backoff';
import type { FfmpegPlan } from './ffmpeg-args';
import { createLineSplitter } from './line-splitter';
import { createProgressReader, type ProgressReport } from './progress-parser';
import { HlsSegmentTracker } from './hls-segment-tracker';
import { classifyStderrLine, isProblem } from './stderr-lines';

/** How ffmpeg is started: `command prefix... ffmpegArgs...` (the prefix is a wrapper such as setpriv, or nothing). */
export interface Launcher {
  command: string;
  prefix: string[];
}

export interface SupervisorDeps {
  ffmpegPath: string;
  launcher: Launcher;
  backoff: BackoffSettings;
  stallTimeoutMs: number;
  stopTimeoutMs: number;
  log: RoleContext['log'];
  emit(kind: TranscoderEventKind, message: string): void;
  /** Something an operator would want to see before the next heartbeat. */
  changed(): void;
}

export interface LaunchSpec {
  /** sha256 of the config file the plan was built from. */
  hash: string;
  plan: FfmpegPlan;
}

export interface SupervisorStatus {
  state: 'starting' | 'running' | 'backoff' | 'stopped';
  reason: string | null;
  pid: number | null;
  startedAt: number | null;
  uptimeMs: number | null;
  restarts: number;
  nextStartAt: number | null;
  lastExit: ChannelExit | null;
  lastErrorLine: string | null;
  lastOutputAt: number | null;
  lastSegmentAt: number | null;
  segmentsCompleted: number;
  fps: number | null;
  bitrateKbps: number | null;
  speed: number | null;
  runningHash: string | null;
}

interface Running {
  child: ChildProcess;
  spec: LaunchSpec;
  startedAt: number;
  exited: Promise<void>;
  /** Set when we end the process ourselves (stop, new config): its exit is not a failure. */
  intentional: boolean;
  stalled: boolean;
  onAir: boolean;
  lastAdvanceAt: number;
  lastFrame: number;
  lastOutTimeUs: number;
  lastStderr: string | null;
  lastProblem: string | null;
  segments: HlsSegmentTracker;
}

export class ChannelSupervisor {
  private spec: LaunchSpec | null = null;
  private wanted = false;
  private running: Running | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private nextStartAt: number | null = null;
  private backoffReason: string | null = null;
  private streak = 0;
  private restarts = 0;
  private lastExit: ChannelExit | null = null;
  private lastErrorLine: string | null = null;
  private lastOutputAt: number | null = null;
  private lastSegmentAt: number | null = null;
  private segmentsCompleted = 0;
  private progress: ProgressReport | null = null;
  private segmentBitrateKbps: number | null = null;

  constructor(
    readonly name: string,
    private readonly deps: SupervisorDeps,
  ) {}

  /** Keep ffmpeg running with this spec; a process already running with the same arguments is left alone. */
  async run(spec: LaunchSpec): Promise<void> {
    this.wanted = true;
    this.spec = spec;
    const current = this.running;
    if (current && !current.intentional && sameArgs(current.spec.plan.args, spec.plan.args)) {
      current.spec = spec;
      return;
    }
    this.cancelRetry();
    this.streak = 0;
    if (current) await this.end(current);
    if (this.wanted && this.spec === spec && !this.running) await this.launch(false);
  }

  /** Stop ffmpeg and keep it stopped. */
  async halt(): Promise<void> {
    this.wanted = false;
    this.cancelRetry();
    if (this.running) await this.end(this.running);
  }

  /** At process exit, when nothing asynchronous can run any more: ffmpeg must not outlive the agent. */
  killNow(): void {
    this.running?.child.kill('SIGKILL');
  }

  /** Called about once a second: kills an ffmpeg whose output stopped advancing (its exit then restarts it). */
  tick(now: number): void {
    const run = this.running;
    if (!run || run.intentional || run.stalled) return;
    const quietMs = now - run.lastAdvanceAt;
    if (quietMs < this.deps.stallTimeoutMs) return;
    run.stalled = true;
    this.lastErrorLine = clip(`no output from ffmpeg for ${Math.round(quietMs / 1000)} s; killed to restart`);
    this.deps.emit('channel.stalled', `channel ${this.name}: ${this.lastErrorLine} (pid ${run.child.pid})`);
    run.child.kill('SIGKILL');
  }

  status(now = Date.now()): SupervisorStatus {
    const run = this.running;
    let state: SupervisorStatus['state'] = 'stopped';
    if (run && !run.intentional) state = run.onAir ? 'running' : 'starting';
    else if (this.retryTimer) state = 'backoff';
    return {
      state,
      reason: state === 'backoff' ? this.backoffReason : null,
      pid: run?.child.pid ?? null,
      startedAt: run?.startedAt ?? null,
      uptimeMs: run ? Math.max(0, now - run.startedAt) : null,
      restarts: this.restarts,
      nextStartAt: state === 'backoff' ? this.nextStartAt : null,
      lastExit: this.lastExit,
      lastErrorLine: this.lastErrorLine,
      lastOutputAt: this.lastOutputAt,
      lastSegmentAt: this.lastSegmentAt,
      segmentsCompleted: this.segmentsCompleted,
      fps: run ? (this.progress?.fps ?? null) : null,
      bitrateKbps: run ? (this.progress?.bitrateKbps ?? this.segmentBitrateKbps) : null,
      speed: run ? (this.progress?.speed ?? null) : null,
      runningHash: run && !run.intentional ? run.spec.hash : null,
    };
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextStartAt = null;
  }

  private async launch(isRestart: boolean): Promise<void> {
    const spec = this.spec;
    if (!spec || !this.wanted || this.running) return;
    if (isRestart) this.restarts++;
    try {
      await access(this.deps.ffmpegPath, constants.X_OK);
    } catch (err) {
      this.failed(Date.now(), `cannot run ${this.deps.ffmpegPath}: ${(err as Error).message}`, null);
      return;
    }
    try {
      for (const dir of spec.plan.hlsDirs) await mkdir(dir, { recursive: true });
    } catch (err) {
      this.failed(Date.now(), `cannot create the HLS folder: ${(err as Error).message}`, null);
      return;
    }
    if (!this.wanted || this.spec !== spec || this.running) return;
    const { command, prefix } = this.deps.launcher;
    const child = spawn(command, [...prefix, ...spec.plan.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const startedAt = Date.now();
    let markExited: () => void = () => undefined;
    const run: Running = {
      child,
      spec,
      startedAt,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      intentional: false,
      stalled: false,
      onAir: false,
      lastAdvanceAt: startedAt,
      lastFrame: -1,
      lastOutTimeUs: -1,
      lastStderr: null,
      lastProblem: null,
      segments: new HlsSegmentTracker(),
    };
    this.running = run;
    this.progress = null;
    this.segmentBitrateKbps = null;
    let gone = false;
    const onGone = (code: number | null, signal: NodeJS.Signals | null, spawnError: Error | null) => {
      if (gone) return;
      gone = true;
      markExited();
      this.exited(run, code, signal, spawnError);
    };
    child.on('error', (err) => {
      // 'error' also means "could not be killed": only a process that never got a pid is gone.
      if (child.pid === undefined) onGone(null, null, err);
      else this.deps.log('error', 'ffmpeg process error', { channel: this.name, pid: child.pid, error: err.message });
    });
    // 'close' rather than 'exit': by then stderr is drained, so the last error line is really the last.
    child.once('close', (code, signal) => onGone(code, signal, null));
    const readProgress = createProgressReader();
    child.stdout!.setEncoding('utf8').on(
      'data',
      createLineSplitter((line) => {
        const report = readProgress(line);
        if (report) this.onProgress(run, report);
      }),
    );
    child.stderr!.setEncoding('utf8').on('data', createLineSplitter((line) => this.onStderr(run, line)));
    this.deps.log('info', 'ffmpeg started', { channel: this.name, pid: child.pid, restart: isRestart });
    this.deps.changed();
  }

  private onProgress(run: Running, report: ProgressReport): void {
    if (this.running !== run) return;
    this.progress = report;
    const frame = report.frame ?? -1;
    const outTimeUs = report.outTimeUs ?? -1;
    if (frame > run.lastFrame || outTimeUs > run.lastOutTimeUs) {
      const now = Date.now();
      run.lastAdvanceAt = now;
      this.lastOutputAt = now;
      run.lastFrame = Math.max(run.lastFrame, frame);
      run.lastOutTimeUs = Math.max(run.lastOutTimeUs, outTimeUs);
      if (!run.onAir && (frame > 0 || outTimeUs > 0)) {
        run.onAir = true;
        this.deps.emit('channel.started', `channel ${this.name} is on air (ffmpeg pid ${run.child.pid})`);
        this.deps.changed();
      }
    }
  }

  private onStderr(run: Running, raw: string): void {
    const line = classifyStderrLine(raw);
    if (!line.text) return;
    run.lastStderr = line.text;
    if (isProblem(line.level) && this.running === run) {
      run.lastProblem = line.text;
      this.lastErrorLine = line.text;
    }
    if (line.openedForWriting) this.onOpened(run, line.openedForWriting);
  }

  private onOpened(run: Running, opened: string): void {
    const completed = run.segments.opened(opened);
    if (!completed || this.running !== run) return;
    const at = Date.now();
    this.segmentsCompleted++;
    this.lastSegmentAt = at;
    stat(completed).then(
      (s) => {
        const bitrateKbps = run.segments.sized(completed, at, s.size);
        if (this.running === run && bitrateKbps !== null) this.segmentBitrateKbps = bitrateKbps;
      },
      (err: Error) => this.deps.log('warn', 'cannot size a completed HLS segment', { channel: this.name, file: completed, error: err.message }),
    );
  }

  private exited(run: Running, code: number | null, signal: NodeJS.Signals | null, spawnError: Error | null): void {
    if (this.running !== run) return;
    this.running = null;
    const now = Date.now();
    this.lastExit = { at: now, code, signal };
    if (spawnError) this.lastErrorLine = clip(`cannot run ${this.deps.ffmpegPath}: ${spawnError.message}`);
    else if (code !== 0 && !run.stalled && !run.intentional) this.lastErrorLine = run.lastProblem ?? run.lastStderr ?? this.lastErrorLine;
    this.deps.log(run.intentional ? 'info' : 'warn', 'ffmpeg exited', { channel: this.name, pid: run.child.pid, code, signal });
    if (run.intentional || !this.wanted) {
      this.deps.changed();
      return;
    }
    const how = run.stalled ? 'stalled and was killed' : spawnError ? 'could not be started' : `exited (${signal ?? `code ${code}`})`;
    this.failed(now, `ffmpeg ${how}`, now - run.startedAt);
  }

  /** Schedules the next attempt with back-off. */
  private failed(now: number, what: string, ranForMs: number | null): void {
    if (ranForMs === null) this.lastErrorLine = clip(what);
    this.streak = nextFailureStreak(this.streak, ranForMs ?? 0, this.deps.backoff);
    const delayMs = restartDelayMs(this.streak, this.deps.backoff);
    this.nextStartAt = now + delayMs;
    this.backoffReason = `${what}; restarting in ${(delayMs / 1000).toFixed(1)} s`.slice(0, 1024);
    const detail = this.lastErrorLine ? ` — last error: ${this.lastErrorLine}` : '';
    this.deps.emit('channel.exited', `channel ${this.name}: ${this.backoffReason}${detail}`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.nextStartAt = null;
      void this.launch(true);
    }, delayMs);
    this.deps.changed();
  }

  /** Ends a process we no longer want: SIGTERM, SIGKILL after the grace period; resolves when it is gone. */
  private async end(run: Running): Promise<void> {
    run.intentional = true;
    if (this.running === run) {
      run.child.kill('SIGCONT'); // a frozen process cannot act on SIGTERM
      run.child.kill('SIGTERM');
    }
    const killTimer = setTimeout(() => run.child.kill('SIGKILL'), this.deps.stopTimeoutMs);
    await run.exited;
    clearTimeout(killTimer);
  }
}

/** Strings on the heartbeat stay within the wire's limits, or the console would reject the whole heartbeat. */
function clip(text: string): string {
  return text.length > MAX_ERROR_LINE_CHARS ? `${text.slice(0, MAX_ERROR_LINE_CHARS - 1)}…` : text;
}

function sameArgs(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((arg, i) => arg === b[i]);
}
