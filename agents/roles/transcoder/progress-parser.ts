/** Pure: ffmpeg's `-progress` output (key=value lines, each block closed by `progress=continue|end`) → reports. */

export interface ProgressReport {
  frame: number | null;
  fps: number | null;
  bitrateKbps: number | null;
  totalSizeBytes: number | null;
  outTimeUs: number | null;
  speed: number | null;
  dropFrames: number | null;
  dupFrames: number | null;
  /** `progress=end`: ffmpeg is finishing. */
  ended: boolean;
}

/** Turns one block's fields into a report; values ffmpeg gives as N/A (or garbles) become null. */
export function parseProgressBlock(fields: ReadonlyMap<string, string>): ProgressReport {
  return {
    frame: nonNegative(fields.get('frame')),
    fps: nonNegative(fields.get('fps')),
    bitrateKbps: withUnit(fields.get('bitrate'), 'kbits/s'),
    totalSizeBytes: nonNegative(fields.get('total_size')),
    outTimeUs: nonNegative(fields.get('out_time_us') ?? fields.get('out_time_ms')),
    speed: withUnit(fields.get('speed'), 'x'),
    dropFrames: nonNegative(fields.get('drop_frames')),
    dupFrames: nonNegative(fields.get('dup_frames')),
    ended: fields.get('progress') === 'end',
  };
}

/** Feeds lines one at a time; returns a report when a line closes a block. Garbage lines are ignored. */
export function createProgressReader(): (line: string) => ProgressReport | null {
  const fields = new Map<string, string>();
  return (line) => {
    const eq = line.indexOf('=');
    if (eq <= 0) return null;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    fields.set(key, value);
    if (key !== 'progress') return null;
    const report = parseProgressBlock(fields);
    fields.clear();
    return report;
  };
}

function nonNegative(raw: string | undefined): number | null {
  if (raw === undefined || !/^[0-9]+(\.[0-9]+)?$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

function withUnit(raw: string | undefined, unit: string): number | null {
  if (raw === undefined || !raw.endsWith(unit)) return null;
  return nonNegative(raw.slice(0, -unit.length).trim());
}
