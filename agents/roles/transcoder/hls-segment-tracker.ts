/**
 * Deterministic: follows the files ffmpeg opens for HLS output. ffmpeg opens a segment, then rewrites the playlist
 * once that segment is complete (and, with `temp_file`, renamed to its final name); the output bitrate is the
 * bytes of the last few completed segments over the wall time they took.
 */
import path from 'node:path';
import { segmentPath } from './stderr-lines';

export const BITRATE_WINDOW_SEGMENTS = 6;

export class HlsSegmentTracker {
  /** HLS folder → the segment ffmpeg last opened there. */
  private readonly pending = new Map<string, string>();
  /** HLS folder → the last completed segments (wall time, bytes). */
  private readonly recent = new Map<string, { at: number; bytes: number }[]>();

  /** A file ffmpeg opened for writing; returns the segment this completes, if any. */
  opened(file: string): string | null {
    const dir = path.dirname(file);
    const segment = segmentPath(file);
    if (segment) {
      this.pending.set(dir, segment);
      return null;
    }
    if (!file.endsWith('.m3u8') && !file.endsWith('.m3u8.tmp')) return null;
    const completed = this.pending.get(dir) ?? null;
    this.pending.delete(dir);
    return completed;
  }

  /** The size of a completed segment, once known; returns the bitrate over the window, or null before two. */
  sized(segment: string, at: number, bytes: number): number | null {
    const dir = path.dirname(segment);
    const recent = this.recent.get(dir) ?? [];
    recent.push({ at, bytes });
    if (recent.length > BITRATE_WINDOW_SEGMENTS) recent.shift();
    this.recent.set(dir, recent);
    const spanMs = recent.at(-1)!.at - recent[0]!.at;
    if (spanMs <= 0) return null;
    const windowBytes = recent.slice(1).reduce((sum, seg) => sum + seg.bytes, 0);
    return Math.round((windowBytes * 8) / spanMs); // bits per ms = kbit/s
  }
}
