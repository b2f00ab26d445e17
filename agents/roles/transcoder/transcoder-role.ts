/**
 * The transcoder role: supervises one ffmpeg per channel file in the channels folder, reports every channel on the
 * heartbeat, pushes a changed config hash at once (folder watch + nudge) and re-reads the folder periodically.
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import type { AgentConfig, AgentEvent, ConfigHashList, TranscoderAgentConfig, TranscoderEventKind } from '../../protocol';
import type { Role, RoleContext } from '../role';
import type { Launcher } from './channel-supervisor';
import { ChannelTable } from './channel-table';
import { type FolderWatch, watchChannelsFolder } from './folder-watcher';
import { loadStoppedChannels } from './stopped-channels';
import { transcoderRoutes } from './transcoder-routes';

const TICK_MS = 1000;
const MAX_PENDING_EVENTS = 256;
const WARNING_KINDS = new Set<TranscoderEventKind>(['channel.exited', 'channel.stalled', 'channel.config-error', 'channels-folder.problem']);

export function createTranscoderRoleFromAgentConfig(ctx: RoleContext, config: AgentConfig): Role {
  if (!config.transcoder) throw new Error('the transcoder role needs a "transcoder" section in the agent config (channelsDir, hlsRoot)');
  return createTranscoderRole(ctx, config.transcoder);
}

export function createTranscoderRole(ctx: RoleContext, config: TranscoderAgentConfig): Role {
  let events: AgentEvent[] = [];
  const emit = (kind: TranscoderEventKind, message: string) => {
    events.push({ at: Date.now(), kind, message: message.slice(0, 4096) });
    if (events.length > MAX_PENDING_EVENTS) events = events.slice(-MAX_PENDING_EVENTS);
    ctx.log(WARNING_KINDS.has(kind) ? 'warn' : 'info', message);
  };
  // Nudges are coalesced to one per turn of the event loop, so a burst of changes is one early heartbeat.
  let nudgeQueued = false;
  const changed = () => {
    if (nudgeQueued) return;
    nudgeQueued = true;
    setImmediate(() => {
      nudgeQueued = false;
      ctx.nudge();
    });
  };
  const stopped = new Set<string>();
  const launcher: Launcher = { command: config.ffmpegPath, prefix: [] };
  const table = new ChannelTable({ config, launcher, log: ctx.log, emit, changed, stopped });
  const killOnExit = () => table.killAllNow();
  let watch: FolderWatch | null = null;
  let scan: ConfigHashList | null = null;
  let scanUnsent = false;
  const timers: NodeJS.Timeout[] = [];

  // A folder that stays broken is reported once, not on every rescan; a good rescan re-arms the report.
  let lastProblem = '';
  const report = (what: string) => (err: Error) => {
    const text = `${what}: ${err.message}`;
    if (text === lastProblem) return;
    lastProblem = text;
    emit('channels-folder.problem', text);
  };

  async function rescan(): Promise<void> {
    const hashes = await table.rescan('scan');
    lastProblem = '';
    scan = { scannedAt: Date.now(), hashes };
    scanUnsent = true;
    if (!watch?.alive) startWatch();
  }

  function startWatch(): void {
    watch?.close();
    watch = watchChannelsFolder(config.channelsDir, {
      onChannel: (name) => void table.refresh(name, 'watch').catch(report(`cannot re-read channel ${name}`)),
      onUnknown: () => void rescan().catch(report('cannot re-read the channels folder')),
      onError: (err) => report(`watching ${config.channelsDir} failed; relying on the rescan every ${config.rescanMs} ms`)(err),
    });
  }

  return {
    name: 'transcoder',
    routes: transcoderRoutes(table, config.maxConfigBytes, ctx.log),
    async start() {
      Object.assign(launcher, await chooseLauncher(config, ctx));
      process.on('exit', killOnExit);
      await mkdir(config.channelsDir, { recursive: true });
      await mkdir(config.hlsRoot, { recursive: true });
      const loaded = await loadStoppedChannels(config.channelsDir);
      for (const name of loaded.stopped) stopped.add(name);
      if (loaded.problem) report('the list of stopped channels is unreadable; every channel will run')(new Error(loaded.problem));
      startWatch();
      const hashes = await table.rescan('boot');
      scan = { scannedAt: Date.now(), hashes };
      scanUnsent = true;
      timers.push(
        setInterval(() => table.tick(Date.now()), TICK_MS),
        setInterval(() => void rescan().catch(report('cannot re-read the channels folder')), config.rescanMs),
      );
      ctx.log('info', 'transcoder role started', { channels: hashes.length, channelsDir: config.channelsDir, stopped: stopped.size });
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      watch?.close();
      await table.shutdown();
      process.off('exit', killOnExit);
    },
    status() {
      const channels = table.list();
      if (!scanUnsent || !scan) return { transcoder: { channels } };
      scanUnsent = false;
      return { transcoder: { channels, scan } };
    },
    drainEvents() {
      const out = events;
      events = [];
      return out;
    },
  };
}

/** setpriv --pdeathsig when asked for and present, so ffmpeg dies with the agent even on SIGKILL. */
async function chooseLauncher(config: TranscoderAgentConfig, ctx: RoleContext): Promise<Launcher> {
  const direct = { command: config.ffmpegPath, prefix: [] };
  if (!config.diesWithAgent) return direct;
  try {
    await access(config.setprivPath, constants.X_OK);
  } catch (err) {
    ctx.log('warn', 'setpriv is missing: ffmpeg would outlive an agent killed with SIGKILL', { setprivPath: config.setprivPath, error: (err as Error).message });
    return direct;
  }
  return { command: config.setprivPath, prefix: ['--pdeathsig', 'KILL', '--', config.ffmpegPath] };
}
