/**
 * The channels of one agent: what each file on disk says, the last good config of each, and its supervisor.
 * Every change to one channel (file event, rescan, command) runs in that channel's queue, one at a time.
 */
import { unlink } from 'node:fs/promises';
import { writeFileAtomic } from '../../../lib/atomic-write';
import { KeyedQueue } from '../../../lib/keyed-queue';
import type { ChannelConfig, ChannelHash, ChannelStatus, TranscoderAgentConfig, TranscoderEventKind } from '../../protocol';
import type { RoleContext } from '../role';
import {
  type ChannelFile,
  channelFilePath,
  describeChannelBytes,
  listChannelFiles,
  readChannelFile,
} from './channel-files';
import { ChannelSupervisor, type Launcher } from './channel-supervisor';
import { buildFfmpegArgs, type FfmpegPlan } from './ffmpeg-args';
import { saveStoppedChannels } from './stopped-channels';

/** Where a change to a channel file came from: only `watch` and `scan` are changes made on the host itself. */
export type ChangeOrigin = 'boot' | 'watch' | 'scan' | 'command';

/** A command the table refuses, with the HTTP status that says why. */
export class CommandError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface Channel {
  name: string;
  file: ChannelFile;
  good: { hash: string; config: ChannelConfig; plan: FfmpegPlan } | null;
  supervisor: ChannelSupervisor;
}

export interface ChannelTableDeps {
  config: TranscoderAgentConfig;
  launcher: Launcher;
  log: RoleContext['log'];
  emit(kind: TranscoderEventKind, message: string): void;
  changed(): void;
  /** Operator-stopped channels (loaded by the role; saved here on every change). */
  stopped: Set<string>;
}

export class ChannelTable {
  private readonly channels = new Map<string, Channel>();
  private readonly queue = new KeyedQueue();
  private readonly ignoredNoted = new Set<string>();

  constructor(private readonly deps: ChannelTableDeps) {}

  /** Runs `task` after every earlier task of the same channel. */
  serial<T>(name: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(name, task);
  }

  /** Re-reads one channel's file and acts on what changed. */
  refresh(name: string, origin: ChangeOrigin): Promise<void> {
    return this.serial(name, async () => this.apply(await readChannelFile(this.deps.config.channelsDir, name, this.deps.config.maxConfigBytes), origin));
  }

  /** Re-reads the whole folder; returns every readable file's hash (the periodic list the heartbeat carries). */
  async rescan(origin: ChangeOrigin): Promise<ChannelHash[]> {
    const { names, ignored } = await listChannelFiles(this.deps.config.channelsDir);
    for (const file of ignored) {
      if (this.ignoredNoted.has(file)) continue;
      this.ignoredNoted.add(file);
      this.deps.log('warn', 'ignoring a file whose name cannot be a channel name', { file });
    }
    const gone = [...this.channels.keys()].filter((name) => !names.includes(name));
    await Promise.all([...names, ...gone].map((name) => this.refresh(name, origin)));
    return [...this.channels.values()]
      .flatMap((ch) => (ch.file.hash ? [{ name: ch.name, hash: ch.file.hash }] : []))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private async apply(file: ChannelFile, origin: ChangeOrigin): Promise<void> {
    const { name } = file;
    let ch = this.channels.get(name);
    const onHost = origin === 'watch' || origin === 'scan';
    if (!file.exists) {
      if (!ch) return;
      await ch.supervisor.halt();
      this.channels.delete(name);
      if (onHost) this.deps.emit('channel.removed', `channel ${name}: its file was deleted on the host; ffmpeg stopped`);
      this.deps.changed();
      return;
    }
    const isNew = !ch;
    if (!ch) {
      if (this.channels.size >= this.deps.config.maxChannels) {
        if (!this.ignoredNoted.has(name)) this.deps.emit('channel.config-error', `channel ${name} ignored: this agent runs at most ${this.deps.config.maxChannels} channels`);
        this.ignoredNoted.add(name);
        return;
      }
      ch = { name, file, good: null, supervisor: this.newSupervisor(name) };
      this.channels.set(name, ch);
    } else if (ch.file.hash === file.hash && ch.file.problem === file.problem) {
      return;
    }
    const before = ch.file;
    ch.file = file;
    if (file.config && file.hash) {
      ch.good = { hash: file.hash, config: file.config, plan: buildFfmpegArgs(file.config, this.deps.config.hlsRoot) };
    }
    if (onHost && isNew) this.deps.emit('channel.added', `channel ${name} appeared on the host (config ${short(file.hash)})`);
    if (onHost && !isNew && before.hash !== file.hash) {
      this.deps.emit('channel.config-changed', `channel ${name}: config changed on the host, ${short(before.hash)} → ${short(file.hash)}`);
    }
    if (file.problem) {
      const still = ch.supervisor.status().pid ? `; still running the last good version (${short(ch.good?.hash ?? null)})` : '';
      this.deps.emit('channel.config-error', `channel ${name}: ${file.problem}${still}`);
    }
    // The new hash goes out before ffmpeg is restarted: a slow stop must not delay the drift report.
    this.deps.changed();
    if (file.config && ch.good && !this.deps.stopped.has(name)) {
      await ch.supervisor.run({ hash: ch.good.hash, plan: ch.good.plan });
      this.deps.changed();
    }
  }

  private newSupervisor(name: string): ChannelSupervisor {
    const { config, launcher, log, emit, changed } = this.deps;
    return new ChannelSupervisor(name, {
      ffmpegPath: config.ffmpegPath,
      launcher,
      backoff: config.backoff,
      stallTimeoutMs: config.stallTimeoutMs,
      stopTimeoutMs: config.stopTimeoutMs,
      log,
      emit,
      changed,
    });
  }

  status(name: string, now = Date.now()): ChannelStatus | null {
    const ch = this.channels.get(name);
    if (!ch) return null;
    const sup = ch.supervisor.status(now);
    const stopped = this.deps.stopped.has(name);
    let state: ChannelStatus['state'] = stopped ? 'stopped' : sup.state;
    let reason = stopped ? 'stopped by an operator' : sup.reason;
    if (ch.file.problem) {
      state = 'config-error';
      reason = `${ch.file.problem}${sup.pid ? `; still running the last good version (${short(sup.runningHash)})` : ''}`.slice(0, 1024);
    } else if (!stopped && sup.state === 'stopped' && ch.good) {
      reason = 'waiting to start';
    }
    const { state: _state, reason: _reason, ...rest } = sup;
    return {
      name,
      state,
      reason,
      ...rest,
      configHash: ch.file.hash,
      epoch: ch.file.config?.epoch ?? ch.good?.config.epoch ?? null,
    };
  }

  list(now = Date.now()): ChannelStatus[] {
    return [...this.channels.keys()].sort().map((name) => this.status(name, now)!);
  }

  tick(now: number): void {
    for (const ch of this.channels.values()) ch.supervisor.tick(now);
  }

  killAllNow(): void {
    for (const ch of this.channels.values()) ch.supervisor.killNow();
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.channels.values()].map((ch) => ch.supervisor.halt()));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Commands

  async readConfig(name: string): Promise<{ hash: string; bytes: Buffer }> {
    const file = await readChannelFile(this.deps.config.channelsDir, name, this.deps.config.maxConfigBytes);
    if (!file.exists) throw new CommandError(404, `no channel ${name} on this host`);
    if (!file.bytes || !file.hash) throw new CommandError(409, `channel ${name}: ${file.problem ?? 'the file cannot be read'}`);
    return { hash: file.hash, bytes: file.bytes };
  }

  /** Writes a validated config atomically and applies it at once. */
  put(name: string, bytes: Buffer, ifHash: string | null | undefined): Promise<{ hash: string; created: boolean; channel: ChannelStatus }> {
    return this.serial(name, async () => {
      const file = describeChannelBytes(name, bytes);
      const current = await readChannelFile(this.deps.config.channelsDir, name, this.deps.config.maxConfigBytes);
      if (ifHash !== undefined && (current.exists ? current.hash : null) !== ifHash) {
        const now = current.exists ? `is ${short(current.hash)}` : 'does not exist';
        throw new CommandError(409, `channel ${name} changed on the host: its config ${now}, not ${short(ifHash)}`);
      }
      if (!current.exists && !this.channels.has(name) && this.channels.size >= this.deps.config.maxChannels) {
        throw new CommandError(409, `this agent runs at most ${this.deps.config.maxChannels} channels`);
      }
      await writeFileAtomic(channelFilePath(this.deps.config.channelsDir, name), bytes);
      await this.apply(file, 'command');
      return { hash: file.hash!, created: !current.exists, channel: this.status(name)! };
    });
  }

  start(name: string): Promise<ChannelStatus> {
    return this.serial(name, async () => {
      const ch = this.require(name);
      if (!ch.good) throw new CommandError(409, `channel ${name} has no valid config to start: ${ch.file.problem ?? 'unknown problem'}`);
      if (this.deps.stopped.delete(name)) await saveStoppedChannels(this.deps.config.channelsDir, this.deps.stopped);
      await ch.supervisor.run({ hash: ch.good.hash, plan: ch.good.plan });
      this.deps.changed();
      return this.status(name)!;
    });
  }

  stop(name: string): Promise<ChannelStatus> {
    return this.serial(name, async () => {
      const ch = this.require(name);
      if (!this.deps.stopped.has(name)) {
        this.deps.stopped.add(name);
        await saveStoppedChannels(this.deps.config.channelsDir, this.deps.stopped);
      }
      await ch.supervisor.halt();
      this.deps.emit('channel.stopped', `channel ${name} stopped by a console command`);
      this.deps.changed();
      return this.status(name)!;
    });
  }

  /** Stops the channel and deletes its file. */
  remove(name: string): Promise<{ hash: string | null }> {
    return this.serial(name, async () => {
      const ch = this.channels.get(name);
      const path = channelFilePath(this.deps.config.channelsDir, name);
      if (ch) await ch.supervisor.halt();
      let existed = true;
      try {
        await unlink(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        existed = false;
      }
      if (!ch && !existed) throw new CommandError(404, `no channel ${name} on this host`);
      this.channels.delete(name);
      if (this.deps.stopped.delete(name)) await saveStoppedChannels(this.deps.config.channelsDir, this.deps.stopped);
      this.deps.emit('channel.removed', `channel ${name} removed by a console command`);
      this.deps.changed();
      return { hash: ch?.file.hash ?? null };
    });
  }

  private require(name: string): Channel {
    const ch = this.channels.get(name);
    if (!ch) throw new CommandError(404, `no channel ${name} on this host`);
    return ch;
  }
}

function short(hash: string | null): string {
  return hash ? hash.slice(0, 12) : 'none';
}
