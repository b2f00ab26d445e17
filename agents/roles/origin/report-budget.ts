/**
 * Keeps the origin report inside its share of a heartbeat frame: at most MAX_ORIGIN_STREAMS streams and
 * MAX_ORIGIN_REPORT_BYTES of JSON. When a server lists more, publishing streams are kept first (they are what the
 * console's redundancy rules count); the report's `streamsTotal` still says how many there were.
 */
import { MAX_ORIGIN_REPORT_BYTES, MAX_ORIGIN_STREAMS, type OriginStream } from '../../protocol';

export function fitReport(streams: readonly OriginStream[], maxBytes = MAX_ORIGIN_REPORT_BYTES, maxStreams = MAX_ORIGIN_STREAMS): OriginStream[] {
  const ordered = [...streams.filter((s) => s.publishing), ...streams.filter((s) => !s.publishing)];
  const kept: OriginStream[] = [];
  let bytes = 2;
  for (const stream of ordered) {
    if (kept.length >= maxStreams) break;
    const size = Buffer.byteLength(JSON.stringify(stream)) + 1;
    if (bytes + size > maxBytes) break;
    bytes += size;
    kept.push(stream);
  }
  return kept.length === streams.length ? [...streams] : kept;
}
