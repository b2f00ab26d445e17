/**
 * Simulated transcoder channels: what a real agent's transcoder role reports for healthy ffmpeg channels (state
 * running, output advancing, a segment every `segmentSec`, figures that wobble), built from real, valid channel config
 * files so the console's snapshot store can fetch and check them exactly as it does from a real agent.
 */
import { createHash } from 'node:crypto';
import { type ChannelConfigInput, type ChannelStatus, type ConfigHashList, parseChannelConfigBytes } from '../protocol';

export interface SimChannel {
  readonly name: string;
  readonly bytes: Buffer;
  readonly hash: string;
  /** The channel's status at `now`. */
  status(now: number): ChannelStatus;
}

const SEGMENT_MS = 2000;

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `count` channels named ch01…, each a valid config file (checked with the agent's own parser). */
export function simChannels(count: number, startedAt: number, seed: number): SimChannel[] {
  return Array.from({ length: count }, (_, i) => simChannel(`ch${String(i + 1).padStart(2, '0')}`, startedAt, seed * 1000 + i));
}

function simChannel(name: string, startedAt: number, seed: number): SimChannel {
  const config: ChannelConfigInput = {
    name,
    input: { url: `udp://239.10.${(seed >> 8) & 255}.${seed & 255}:5000` },
    outputs: [{ type: 'hls' }],
    video: { bitrateKbps: 2500 },
  };
  const bytes = Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
  const parsed = parseChannelConfigBytes(bytes, name);
  if (!parsed.ok) throw new Error(`simulated channel ${name} has an invalid config: ${parsed.reason}`);
  const hash = sha256Hex(bytes);
  const pid = 10_000 + (seed % 50_000);
  // Each channel's segments complete at its own phase, as on a real host.
  const phase = (seed * 7919) % SEGMENT_MS;
  let wobble = seed % 17;
  return {
    name,
    bytes,
    hash,
    status(now) {
      const segments = Math.max(0, Math.floor((now - startedAt - phase) / SEGMENT_MS));
      wobble = (wobble * 31 + 7) % 101;
      return {
        name,
        state: 'running',
        reason: null,
        pid,
        startedAt,
        uptimeMs: Math.max(0, now - startedAt),
        restarts: 0,
        nextStartAt: null,
        lastExit: null,
        lastErrorLine: null,
        // ffmpeg's -progress comes about twice a second.
        lastOutputAt: now - (now % 500),
        lastSegmentAt: segments > 0 ? startedAt + phase + segments * SEGMENT_MS : null,
        segmentsCompleted: segments,
        fps: 25,
        bitrateKbps: 2480 + (wobble % 40),
        speed: 1,
        configHash: hash,
        runningHash: hash,
        epoch: 0,
      };
    },
  };
}

/** The periodic rescan's list of every channel file's hash. */
export function simScan(channels: SimChannel[], now: number): ConfigHashList {
  return { scannedAt: now, hashes: channels.map((c) => ({ name: c.name, hash: c.hash })) };
}
