/**
 * The recorder's ffmpeg command line, as an args array (never a shell). The segment muxer writes numbered files into
 * a staging folder and appends `file,start,end` to a CSV list each time a segment closes: that line is the signal
 * that the file is complete and gives its exact duration. The agent then names the file by its start time and moves
 * it into the stream's folder. (strftime names from ffmpeg itself have one-second resolution and collide when ffmpeg
 * writes a burst of segments after probing; the HLS muxer's playlist is a window, rewritten each time.)
 */
export interface RecorderArgsInput {
  input: string;
  segmentSeconds: number;
  /** The CSV list of closed segments. */
  listPath: string;
  /** Output pattern with a `%09d` counter, inside the staging folder. */
  outputPattern: string;
}

export const STAGED_SEGMENT_PATTERN = /^\d{9}\.ts$/;

export function recorderArgs(opts: RecorderArgsInput): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel', 'error',
    '-probesize', '1000000',
    '-analyzeduration', '2000000',
    '-i', opts.input,
    '-map', '0:v?',
    '-map', '0:a?',
    '-c', 'copy',
    '-f', 'segment',
    '-segment_time', String(opts.segmentSeconds),
    '-segment_format', 'mpegts',
    '-segment_list', opts.listPath,
    '-segment_list_type', 'csv',
    opts.outputPattern,
  ];
}

export interface ClosedSegment {
  file: string;
  startSec: number;
  endSec: number;
}

/** Parses the complete lines of the segment muxer's CSV list; a line that does not fit is returned as a problem. */
export function parseSegmentList(text: string): { segments: ClosedSegment[]; problems: string[] } {
  const segments: ClosedSegment[] = [];
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [file, start, end, ...rest] = line.trim().split(',');
    const startSec = Number(start);
    const endSec = Number(end);
    if (rest.length > 0 || !file || !STAGED_SEGMENT_PATTERN.test(file) || !Number.isFinite(startSec) || !Number.isFinite(endSec) || endSec < startSec) {
      problems.push(`unexpected segment list line: ${line.slice(0, 200)}`);
      continue;
    }
    segments.push({ file, startSec, endSec });
  }
  return { segments, problems };
}
