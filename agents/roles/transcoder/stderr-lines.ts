/** Pure: one line of ffmpeg's stderr (run with `-loglevel level+info`) → what the supervisor cares about. */
import { MAX_ERROR_LINE_CHARS } from '../../protocol';

export type FfmpegLogLevel = 'panic' | 'fatal' | 'error' | 'warning' | 'info' | 'verbose' | 'debug' | 'trace' | 'unknown';

export interface StderrLine {
  level: FfmpegLogLevel;
  /** The line without the `[level]` tag, trimmed and cut to the wire's limit. */
  text: string;
  /** A file ffmpeg opened for writing (`Opening '…' for writing`): HLS segments and playlists. */
  openedForWriting: string | null;
}

const LEVEL_TAG = /\[(panic|fatal|error|warning|info|verbose|debug|trace)\] /;
const OPENING = /Opening '(.+)' for writing$/;

export function classifyStderrLine(raw: string): StderrLine {
  const line = raw.replace(/\r/g, '').trim();
  const tag = LEVEL_TAG.exec(line);
  const level = (tag?.[1] ?? 'unknown') as FfmpegLogLevel;
  const text = (tag ? line.slice(0, tag.index) + line.slice(tag.index + tag[0].length) : line).trim();
  return { level, text: text.slice(0, MAX_ERROR_LINE_CHARS), openedForWriting: OPENING.exec(text)?.[1] ?? null };
}

export function isProblem(level: FfmpegLogLevel): boolean {
  return level === 'panic' || level === 'fatal' || level === 'error' || level === 'warning';
}

/** An HLS media segment (not a playlist), with the `.tmp` of `hls_flags temp_file` removed. */
export function segmentPath(opened: string): string | null {
  const final = opened.endsWith('.tmp') ? opened.slice(0, -'.tmp'.length) : opened;
  return /\.(ts|m4s|mp4|aac)$/.test(final) ? final : null;
}
