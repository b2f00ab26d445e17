/**
 * Turns byte counters into rates between two polls. A rate from counters is fresher than what most servers report
 * (nginx-rtmp's bw_* lag by ~10 s, SRS averages over 30 s), so it wins when both samples have counters; otherwise the
 * server's own figure stays. A counter that went backwards (server restarted, stream re-created) gives no rate.
 */
import { type OriginStream, originStreamKey } from '../../protocol';
import type { ParsedStream } from './adapter';

export interface CounterSample {
  atMs: number;
  bytesIn: number | null;
  bytesOut: number | null;
}

export type CounterMemory = ReadonlyMap<string, CounterSample>;

function kbpsBetween(before: number | null, after: number | null, elapsedMs: number): number | null {
  if (before === null || after === null || elapsedMs <= 0 || after < before) return null;
  // bytes·8 per millisecond is kilobits per second.
  return Math.round(((after - before) * 8) / elapsedMs);
}

export function withRates(
  streams: readonly ParsedStream[],
  previous: CounterMemory,
  atMs: number,
): { streams: OriginStream[]; memory: Map<string, CounterSample> } {
  const memory = new Map<string, CounterSample>();
  const out = streams.map((s): OriginStream => {
    const key = originStreamKey(s);
    const before = previous.get(key);
    memory.set(key, { atMs, bytesIn: s.bytesIn, bytesOut: s.bytesOut });
    const elapsedMs = before ? atMs - before.atMs : 0;
    const inKbps = before ? kbpsBetween(before.bytesIn, s.bytesIn, elapsedMs) : null;
    const outKbps = before ? kbpsBetween(before.bytesOut, s.bytesOut, elapsedMs) : null;
    return {
      app: s.app,
      name: s.name,
      publishing: s.publishing,
      clients: s.clients,
      // Nothing comes in without a publisher, whatever a lagging server average still says.
      bitrateInKbps: s.publishing ? (inKbps ?? s.bitrateInKbps) : 0,
      bitrateOutKbps: outKbps ?? s.bitrateOutKbps,
      uptimeSec: s.uptimeSec,
      video: s.video,
      audio: s.audio,
    };
  });
  return { streams: out, memory };
}
