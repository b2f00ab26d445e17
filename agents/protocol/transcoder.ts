/**
 * Wire schemas of the transcoder role: the channel config file, its part of the heartbeat, its HTTP commands and its
 * section of the agent config file. zod only — the console and its UI import this file too (no Node built-ins).
 */
import { z } from 'zod';

export const MAX_CHANNEL_NAME_CHARS = 64;
/** Largest channel config file the agent accepts, on the wire and on disk. */
export const MAX_CHANNEL_CONFIG_BYTES = 64 * 1024;
/** Most channels one agent reports in a heartbeat. */
export const MAX_CHANNELS = 500;
export const MAX_ERROR_LINE_CHARS = 512;
export const CHANNEL_FILE_SUFFIX = '.json';

const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `name` cannot name a channel (it becomes `<name>.json` in the channels folder), or null when it can. */
export function channelNameProblem(name: string): string | null {
  if (name.length === 0) return 'a channel name is required';
  if (name.includes('\0')) return 'a channel name cannot contain a NUL byte';
  if (name.includes('/') || name.includes('\\')) return 'a channel name cannot contain slashes (it is not a path)';
  if (name.includes('..')) return 'a channel name cannot contain ".."';
  if (name.length > MAX_CHANNEL_NAME_CHARS) return `a channel name has at most ${MAX_CHANNEL_NAME_CHARS} characters`;
  if (!CHANNEL_NAME_PATTERN.test(name)) return 'a channel name is letters, digits, ".", "-" and "_", and starts with a letter or digit';
  return null;
}

export const ChannelName = z.string().superRefine((name, ctx) => {
  const problem = channelNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex');

// ---------------------------------------------------------------------------------------------------------------
// The channel config file

export const INPUT_SCHEMES = ['udp', 'rtmp', 'rtmps', 'srt', 'http', 'https', 'lavfi'] as const;

/** lavfi filters a test-source input may use: sources and harmless transforms (no filter that reads or writes files). */
export const LAVFI_FILTERS = new Set([
  'testsrc', 'testsrc2', 'smptebars', 'smptehdbars', 'pal75bars', 'pal100bars', 'rgbtestsrc', 'yuvtestsrc',
  'colorspectrum', 'color', 'mandelbrot', 'life', 'nullsrc', 'sine', 'anullsrc', 'anoisesrc',
  'scale', 'format', 'fps', 'setpts', 'asetpts', 'aresample', 'volume', 'drawbox', 'hue', 'null', 'anull',
]);

const MAX_URL_CHARS = 2048;

/** Why `url` cannot be a channel input, or null when it can. `lavfi:GRAPH` is an ffmpeg test source. */
export function inputUrlProblem(url: string): string | null {
  if (url.length > MAX_URL_CHARS) return `an input URL has at most ${MAX_URL_CHARS} characters`;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(url)) return 'an input URL cannot contain control characters';
  if (url.startsWith('lavfi:')) return lavfiGraphProblem(url.slice('lavfi:'.length));
  const scheme = /^([a-z0-9+.-]+):\/\/\S+$/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) return `an input URL looks like udp://239.0.0.1:1234, rtmp://…, srt://…, http(s)://… or lavfi:testsrc2`;
  if (!(INPUT_SCHEMES as readonly string[]).includes(scheme)) return `input scheme "${scheme}" is not one of ${INPUT_SCHEMES.join(', ')}`;
  return null;
}

function lavfiGraphProblem(graph: string): string | null {
  if (graph.trim().length === 0) return 'a lavfi input needs a filter graph, e.g. lavfi:testsrc2=size=320x180:rate=25';
  for (const part of graph.split(/[;,]/)) {
    const filter = /^\s*(?:\[[^\]]*\]\s*)*([A-Za-z0-9_]+)/.exec(part)?.[1];
    if (!filter) return `cannot read the filter name in lavfi part "${part.trim()}"`;
    if (!LAVFI_FILTERS.has(filter)) return `lavfi filter "${filter}" is not allowed (allowed: ${[...LAVFI_FILTERS].join(', ')})`;
  }
  return null;
}

const urlWithScheme = (schemes: string[], example: string) =>
  z
    .string()
    .max(MAX_URL_CHARS)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((url) => !/[\u0000-\u001f\u007f\s]/.test(url), 'no spaces or control characters')
    .refine((url) => schemes.some((s) => url.toLowerCase().startsWith(`${s}://`)), `a URL like ${example}`);

export const ChannelInput = z
  .object({
    url: z.string().superRefine((url, ctx) => {
      const problem = inputUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    /** Read the input at its native rate (`-re`). Defaults to on for lavfi test sources, off for live inputs. */
    realtime: z.boolean().optional(),
  })
  .strict();
export type ChannelInput = z.infer<typeof ChannelInput>;

export const HlsOutput = z
  .object({
    type: z.literal('hls'),
    /** A folder under the agent's HLS root; defaults to the channel's name. */
    folder: ChannelName.optional(),
    segmentSec: z.number().min(1).max(30).default(2),
    listSize: z.number().int().min(1).max(100).default(6),
  })
  .strict();

export const UdpOutput = z
  .object({
    type: z.literal('udp'),
    /** MPEG-TS over UDP, e.g. udp://239.1.1.1:1234?ttl=4 (pkt_size=1316 is added when absent). */
    url: urlWithScheme(['udp'], 'udp://239.1.1.1:1234'),
  })
  .strict();

export const RtmpOutput = z
  .object({
    type: z.literal('rtmp'),
    url: urlWithScheme(['rtmp', 'rtmps'], 'rtmp://origin-1/live/channel'),
  })
  .strict();

export const ChannelOutput = z.discriminatedUnion('type', [HlsOutput, UdpOutput, RtmpOutput]);
export type ChannelOutput = z.infer<typeof ChannelOutput>;

export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;

export const VideoEncode = z
  .object({
    codec: z.enum(['libx264', 'copy']).default('libx264'),
    preset: z.enum(X264_PRESETS).default('veryfast'),
    profile: z.enum(['baseline', 'main', 'high']).optional(),
    tune: z.enum(['zerolatency', 'film', 'animation', 'grain', 'stillimage', 'fastdecode']).optional(),
    width: z.number().int().min(16).max(7680).multipleOf(2).optional(),
    height: z.number().int().min(16).max(4320).multipleOf(2).optional(),
    fps: z.number().min(1).max(120).optional(),
    bitrateKbps: z.number().int().min(32).max(100_000).default(2500),
    maxrateKbps: z.number().int().min(32).max(200_000).optional(),
    bufsizeKbps: z.number().int().min(32).max(400_000).optional(),
    keyframeSec: z.number().min(0.5).max(10).default(2),
  })
  .strict();
export type VideoEncode = z.infer<typeof VideoEncode>;

export const AudioEncode = z
  .object({
    codec: z.enum(['aac', 'mp2', 'copy', 'none']).default('aac'),
    bitrateKbps: z.number().int().min(16).max(1024).default(128),
    sampleRateHz: z.union([z.literal(32000), z.literal(44100), z.literal(48000)]).optional(),
    channels: z.union([z.literal(1), z.literal(2)]).optional(),
  })
  .strict();
export type AudioEncode = z.infer<typeof AudioEncode>;

/** A logo drawn over the picture, fetched by URL (media files live on network storage, not on the host). */
export const Overlay = z
  .object({
    imageUrl: urlWithScheme(['http', 'https'], 'http://media/logos/channel.png'),
    x: z.number().int().min(0).max(7680).default(16),
    y: z.number().int().min(0).max(4320).default(16),
  })
  .strict();
export type Overlay = z.infer<typeof Overlay>;

/** One channel: the JSON file `<name>.json` in the agent's channels folder. */
export const ChannelConfig = z
  .object({
    name: ChannelName,
    input: ChannelInput,
    outputs: z.array(ChannelOutput).min(1, 'a channel needs at least one output').max(8),
    video: VideoEncode.prefault({}),
    audio: AudioEncode.prefault({}),
    overlay: Overlay.optional(),
    /** Raised by the console on every failover move; a returning host's channels with an older epoch are stale. */
    epoch: z.number().int().nonnegative().default(0),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.video.codec === 'copy') {
      const encodeOnly = (['width', 'height', 'fps', 'profile', 'tune', 'maxrateKbps', 'bufsizeKbps'] as const).filter(
        (key) => config.video[key] !== undefined,
      );
      for (const key of encodeOnly) ctx.addIssue({ code: 'custom', path: ['video', key], message: 'not possible with video codec "copy"' });
      if (config.overlay) ctx.addIssue({ code: 'custom', path: ['overlay'], message: 'an overlay needs the video to be encoded, not "copy"' });
    }
    const folders = new Set<string>();
    config.outputs.forEach((output, index) => {
      if (output.type !== 'hls') return;
      const folder = output.folder ?? config.name;
      if (folders.has(folder)) ctx.addIssue({ code: 'custom', path: ['outputs', index, 'folder'], message: `HLS folder "${folder}" is used twice` });
      folders.add(folder);
    });
  });
export type ChannelConfig = z.infer<typeof ChannelConfig>;
export type ChannelConfigInput = z.input<typeof ChannelConfig>;

export const ConfigIssue = z.object({ path: z.string().max(256), message: z.string().max(1024) });
export type ConfigIssue = z.infer<typeof ConfigIssue>;

export type ChannelConfigParse =
  | { ok: true; config: ChannelConfig }
  | { ok: false; reason: string; issues: ConfigIssue[] };

/**
 * Reads a channel config file's bytes exactly as the agent does: UTF-8, JSON, the schema, and (when given) the
 * name the file is stored under. The UI uses the issues to show errors per field.
 */
export function parseChannelConfigBytes(bytes: Uint8Array, expectedName?: string): ChannelConfigParse {
  if (bytes.byteLength > MAX_CHANNEL_CONFIG_BYTES) {
    return fail(`the config is ${bytes.byteLength} bytes, over the ${MAX_CHANNEL_CONFIG_BYTES}-byte limit`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('the config is not UTF-8 text');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`the config is not JSON: ${(err as Error).message}`);
  }
  const parsed = ChannelConfig.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
      path: issue.path.length ? issue.path.join('.') : '(root)',
      message: issue.message.slice(0, 1024),
    }));
    const reason = `the config is invalid: ${issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}`;
    return { ok: false, reason: reason.slice(0, 1024), issues };
  }
  if (expectedName !== undefined && parsed.data.name !== expectedName) {
    return {
      ok: false,
      reason: `the config names channel "${parsed.data.name}" but is stored as "${expectedName}${CHANNEL_FILE_SUFFIX}"`,
      issues: [{ path: 'name', message: `must be "${expectedName}", the name the file is stored under` }],
    };
  }
  return { ok: true, config: parsed.data };
}

function fail(reason: string): ChannelConfigParse {
  return { ok: false, reason, issues: [{ path: '(root)', message: reason }] };
}

// ---------------------------------------------------------------------------------------------------------------
// The heartbeat

/**
 * - starting: ffmpeg runs but has not reported output yet; running: it has.
 * - backoff: ffmpeg exited or stalled and is restarted at `nextStartAt`.
 * - stopped: an operator stopped the channel (kept across agent restarts).
 * - config-error: the file does not read, parse or validate (`reason`); if an earlier good version of it was
 *   running, that process keeps running (`runningHash`), so a typo on the host never takes a channel off air.
 */
export const ChannelState = z.enum(['starting', 'running', 'backoff', 'stopped', 'config-error']);
export type ChannelState = z.infer<typeof ChannelState>;

export const ChannelExit = z.object({
  at: z.number(),
  code: z.number().int().nullable(),
  signal: z.string().max(16).nullable(),
});
export type ChannelExit = z.infer<typeof ChannelExit>;

export const ChannelStatus = z.object({
  name: z.string().min(1).max(MAX_CHANNEL_NAME_CHARS),
  state: ChannelState,
  reason: z.string().max(1024).nullable(),
  pid: z.number().int().positive().nullable(),
  /** When the current ffmpeg process started (ms since the epoch). */
  startedAt: z.number().nullable(),
  uptimeMs: z.number().nonnegative().nullable(),
  /** Automatic restarts since the agent began supervising the channel. */
  restarts: z.number().int().nonnegative(),
  nextStartAt: z.number().nullable(),
  lastExit: ChannelExit.nullable(),
  /** The last stderr line at warning level or worse (or the last line before a failed exit). */
  lastErrorLine: z.string().max(MAX_ERROR_LINE_CHARS).nullable(),
  /** Last time ffmpeg's `-progress` showed output advancing. */
  lastOutputAt: z.number().nullable(),
  /** Last time an HLS segment was completed; null without an HLS output. */
  lastSegmentAt: z.number().nullable(),
  segmentsCompleted: z.number().int().nonnegative(),
  fps: z.number().nonnegative().nullable(),
  /** From `-progress` when ffmpeg knows it, else from the sizes of completed HLS segments. */
  bitrateKbps: z.number().nonnegative().nullable(),
  speed: z.number().nonnegative().nullable(),
  /** sha256 of the config file's bytes now on disk; null when the file cannot be read. */
  configHash: Sha256Hex.nullable(),
  /** sha256 of the config the ffmpeg process was started from. */
  runningHash: Sha256Hex.nullable(),
  /** The epoch of the config in force (the file's, or the last good one's); null when none was ever valid. */
  epoch: z.number().int().nonnegative().nullable(),
});
export type ChannelStatus = z.infer<typeof ChannelStatus>;

export const ChannelHash = z.object({ name: z.string().min(1).max(MAX_CHANNEL_NAME_CHARS), hash: Sha256Hex });
export type ChannelHash = z.infer<typeof ChannelHash>;

/** Every channel file's hash, re-read from disk by the periodic rescan (the article's `t_backup` compare). */
export const ConfigHashList = z.object({
  scannedAt: z.number(),
  hashes: z.array(ChannelHash).max(MAX_CHANNELS),
});
export type ConfigHashList = z.infer<typeof ConfigHashList>;

export const TranscoderStatus = z.object({
  channels: z.array(ChannelStatus).max(MAX_CHANNELS),
  /** Present on the first heartbeat after each rescan. */
  scan: ConfigHashList.optional(),
});
export type TranscoderStatus = z.infer<typeof TranscoderStatus>;

/** Kinds of the events the transcoder role puts on heartbeats; the data itself is in the status. */
export const TranscoderEventKind = z.enum([
  'channel.added',
  'channel.config-changed',
  'channel.config-error',
  'channel.started',
  'channel.exited',
  'channel.stalled',
  'channel.stopped',
  'channel.removed',
  /** The channels folder or the stopped-channels file cannot be read or watched. */
  'channels-folder.problem',
]);
export type TranscoderEventKind = z.infer<typeof TranscoderEventKind>;

// ---------------------------------------------------------------------------------------------------------------
// Commands (HTTP, with the agent's token)

const enc = encodeURIComponent;
export const transcoderPaths = {
  /** GET → ChannelListResponse */
  channels: '/v1/transcoder/channels',
  /** GET → ChannelCommandResponse; DELETE → RemoveChannelResponse (stops it and deletes its file) */
  channel: (name: string) => `/v1/transcoder/channels/${enc(name)}`,
  /** GET → ChannelConfigResponse (the raw bytes); PUT PutChannelConfigRequest → PutChannelConfigResponse */
  config: (name: string) => `/v1/transcoder/config/${enc(name)}`,
  /** POST → ChannelCommandResponse */
  start: (name: string) => `/v1/transcoder/start/${enc(name)}`,
  /** POST → ChannelCommandResponse */
  stop: (name: string) => `/v1/transcoder/stop/${enc(name)}`,
} as const;

export const PutChannelConfigRequest = z
  .object({
    /** The file's exact bytes, so a restore is byte-identical to the stored version. */
    contentBase64: z.string().max(Math.ceil(MAX_CHANNEL_CONFIG_BYTES / 3) * 4 + 4096),
    /** Write only if the file's hash is still this (null: only if the channel does not exist yet). */
    ifHash: Sha256Hex.nullable().optional(),
  })
  .strict();
export type PutChannelConfigRequest = z.infer<typeof PutChannelConfigRequest>;

export const PutChannelConfigResponse = z.object({
  name: z.string(),
  hash: Sha256Hex,
  bytes: z.number().int().nonnegative(),
  created: z.boolean(),
  channel: ChannelStatus,
});
export type PutChannelConfigResponse = z.infer<typeof PutChannelConfigResponse>;

export const ChannelConfigResponse = z.object({
  name: z.string(),
  hash: Sha256Hex,
  bytes: z.number().int().nonnegative(),
  contentBase64: z.string(),
});
export type ChannelConfigResponse = z.infer<typeof ChannelConfigResponse>;

export const ChannelListResponse = z.object({ channels: z.array(ChannelStatus) });
export type ChannelListResponse = z.infer<typeof ChannelListResponse>;

export const ChannelCommandResponse = z.object({ channel: ChannelStatus });
export type ChannelCommandResponse = z.infer<typeof ChannelCommandResponse>;

export const RemoveChannelResponse = z.object({ name: z.string(), removed: z.literal(true), hash: Sha256Hex.nullable() });
export type RemoveChannelResponse = z.infer<typeof RemoveChannelResponse>;

/** A refused config: 400 with the reason and the issues per field. */
export const ConfigRefusedBody = z.object({ error: z.string(), issues: z.array(ConfigIssue) });
export type ConfigRefusedBody = z.infer<typeof ConfigRefusedBody>;

// ---------------------------------------------------------------------------------------------------------------
// The `transcoder` section of the agent config file (never set over the wire)

const absolutePath = z.string().min(2).max(4096).refine((p) => p.startsWith('/') && !p.includes('\0'), 'an absolute path');

export const BackoffSettings = z
  .object({
    minMs: z.number().int().min(100).max(60_000).default(1000),
    maxMs: z.number().int().min(100).max(600_000).default(30_000),
    factor: z.number().min(1).max(10).default(2),
    /** A run at least this long resets the back-off to `minMs`. */
    stableAfterMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  })
  .strict()
  .refine((b) => b.maxMs >= b.minMs, { message: 'maxMs must be at least minMs', path: ['maxMs'] });
export type BackoffSettings = z.infer<typeof BackoffSettings>;

export const TranscoderAgentConfig = z
  .object({
    channelsDir: absolutePath,
    /** HLS outputs are written to `<hlsRoot>/<folder>/index.m3u8`. No '%': ffmpeg reads it as a segment-number pattern. */
    hlsRoot: absolutePath.refine((p) => !p.includes('%'), 'no "%" (ffmpeg would read it as a segment-number pattern)'),
    ffmpegPath: absolutePath.default('/usr/bin/ffmpeg'),
    /**
     * Start ffmpeg through `setpriv --pdeathsig KILL` (util-linux) so it dies with the agent even when the agent
     * is SIGKILLed: no orphan keeps broadcasting beside a failover. Without setpriv, only a clean exit or a
     * crash of the agent's JavaScript takes ffmpeg down.
     */
    diesWithAgent: z.boolean().default(true),
    setprivPath: absolutePath.default('/usr/bin/setpriv'),
    maxChannels: z.number().int().min(1).max(MAX_CHANNELS).default(100),
    maxConfigBytes: z.number().int().min(256).max(MAX_CHANNEL_CONFIG_BYTES).default(MAX_CHANNEL_CONFIG_BYTES),
    backoff: BackoffSettings.prefault({}),
    /** ffmpeg that reports no progress for this long is killed and restarted. */
    stallTimeoutMs: z.number().int().min(2000).max(600_000).default(15_000),
    /** Grace between SIGTERM and SIGKILL when stopping ffmpeg. */
    stopTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
    /** Full re-read of the channels folder (the safety net behind the file watcher). */
    rescanMs: z.number().int().min(500).max(3_600_000).default(5000),
  })
  .strict();
export type TranscoderAgentConfig = z.infer<typeof TranscoderAgentConfig>;
export type TranscoderAgentConfigInput = z.input<typeof TranscoderAgentConfig>;
