/** Pure: a channel config → the ffmpeg argument array (never a shell string). */
import path from 'node:path';
import type { ChannelConfig, ChannelOutput } from '../../protocol';

export const HLS_PLAYLIST = 'index.m3u8';
export const HLS_SEGMENT_PATTERN = 'seg-%05d.ts';
export const PROGRESS_PERIOD_SEC = 2;

export interface FfmpegPlan {
  args: string[];
  /** Folders that must exist before ffmpeg starts, one per HLS output. */
  hlsDirs: string[];
}

export function buildFfmpegArgs(config: ChannelConfig, hlsRoot: string): FfmpegPlan {
  const hlsDirs = config.outputs.flatMap((o) => (o.type === 'hls' ? [hlsDirOf(config, o, hlsRoot)] : []));
  const args = [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+info'],
    ...['-progress', 'pipe:1', '-stats_period', String(PROGRESS_PERIOD_SEC), '-y'],
    ...inputArgs(config),
    ...videoArgs(config),
    ...audioArgs(config),
    ...outputArgs(config, hlsRoot),
  ];
  return { args, hlsDirs };
}

export function hlsDirOf(config: ChannelConfig, output: Extract<ChannelOutput, { type: 'hls' }>, hlsRoot: string): string {
  return path.posix.join(hlsRoot, output.folder ?? config.name);
}

function inputArgs(config: ChannelConfig): string[] {
  const { url } = config.input;
  const lavfi = url.startsWith('lavfi:');
  const realtime = config.input.realtime ?? lavfi;
  const main = lavfi ? ['-f', 'lavfi', '-i', url.slice('lavfi:'.length)] : ['-i', url];
  const overlay = config.overlay ? ['-i', config.overlay.imageUrl] : [];
  return [...(realtime ? ['-re'] : []), ...main, ...overlay];
}

function videoFilterChain(config: ChannelConfig): string | null {
  const { width, height, fps } = config.video;
  const filters: string[] = [];
  if (width !== undefined || height !== undefined) filters.push(`scale=${width ?? -2}:${height ?? -2}`);
  if (fps !== undefined) filters.push(`fps=${fps}`);
  return filters.length ? filters.join(',') : null;
}

function videoArgs(config: ChannelConfig): string[] {
  const v = config.video;
  const chain = videoFilterChain(config);
  let mapping: string[];
  if (config.overlay) {
    const { x, y } = config.overlay;
    mapping = ['-filter_complex', `[0:v:0]${chain ?? 'null'}[base];[base][1:v:0]overlay=x=${x}:y=${y}[vout]`, '-map', '[vout]'];
  } else {
    mapping = ['-map', '0:v:0?', ...(chain ? ['-vf', chain] : [])];
  }
  if (v.codec === 'copy') return [...mapping, '-c:v', 'copy'];
  return [
    ...mapping,
    ...['-c:v', 'libx264', '-preset', v.preset],
    ...(v.profile ? ['-profile:v', v.profile] : []),
    ...(v.tune ? ['-tune', v.tune] : []),
    ...['-b:v', `${v.bitrateKbps}k`],
    ...(v.maxrateKbps ? ['-maxrate', `${v.maxrateKbps}k`] : []),
    ...(v.bufsizeKbps ? ['-bufsize', `${v.bufsizeKbps}k`] : []),
    ...['-pix_fmt', 'yuv420p', '-force_key_frames', `expr:gte(t,n_forced*${v.keyframeSec})`, '-sc_threshold', '0'],
  ];
}

function audioArgs(config: ChannelConfig): string[] {
  const a = config.audio;
  if (a.codec === 'none') return ['-an'];
  const mapping = ['-map', '0:a:0?'];
  if (a.codec === 'copy') return [...mapping, '-c:a', 'copy'];
  return [
    ...mapping,
    ...['-c:a', a.codec, '-b:a', `${a.bitrateKbps}k`],
    ...(a.sampleRateHz ? ['-ar', String(a.sampleRateHz)] : []),
    ...(a.channels ? ['-ac', String(a.channels)] : []),
  ];
}

/** One muxer per output: its format, its options (name → value) and where it writes. */
interface Muxer {
  format: string;
  options: [string, string][];
  target: string;
}

function muxerOf(config: ChannelConfig, output: ChannelOutput, hlsRoot: string): Muxer {
  switch (output.type) {
    case 'hls': {
      const dir = hlsDirOf(config, output, hlsRoot);
      return {
        format: 'hls',
        options: [
          ['hls_time', String(output.segmentSec)],
          ['hls_list_size', String(output.listSize)],
          ['hls_flags', 'delete_segments+append_list+omit_endlist+temp_file'],
          // '%' is the segment-number pattern character; the agent config refuses it in hlsRoot.
          ['hls_segment_filename', path.posix.join(dir, HLS_SEGMENT_PATTERN)],
        ],
        target: path.posix.join(dir, HLS_PLAYLIST),
      };
    }
    case 'udp':
      return { format: 'mpegts', options: [], target: withPacketSize(output.url) };
    case 'rtmp':
      return { format: 'flv', options: [], target: output.url };
  }
}

function withPacketSize(url: string): string {
  if (/[?&]pkt_size=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}pkt_size=1316`;
}

function outputArgs(config: ChannelConfig, hlsRoot: string): string[] {
  const muxers = config.outputs.map((o) => muxerOf(config, o, hlsRoot));
  if (muxers.length === 1) {
    const [m] = muxers as [Muxer];
    return ['-f', m.format, ...m.options.flatMap(([k, v]) => [`-${k}`, v]), m.target];
  }
  // Several outputs: encode once and let the tee muxer fan out; one failing output does not stop the others.
  return ['-f', 'tee', teeSpec(muxers)];
}

export function teeSpec(muxers: Muxer[]): string {
  return muxers
    .map((m) => {
      const options: [string, string][] = [['f', m.format], ...m.options, ['onfail', 'ignore']];
      const slave = `[${options.map(([k, v]) => `${k}=${escapeFfmpegToken(v, ':]')}`).join(':')}]${m.target}`;
      return escapeFfmpegToken(slave, '|');
    })
    .join('|');
}

/** Escapes a value for ffmpeg's av_get_token: a backslash before quotes, backslashes, whitespace and `specials`. */
export function escapeFfmpegToken(value: string, specials: string): string {
  let out = '';
  for (const ch of value) out += specials.includes(ch) || ch === '\\' || ch === "'" || /\s/.test(ch) ? `\\${ch}` : ch;
  return out;
}
