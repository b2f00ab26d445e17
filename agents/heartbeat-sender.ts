/**
 * Puts heartbeats on every console stream an agent has open. Consoles that asked for channel deltas (`configure` with
 * `channelDeltas: true`) get the full channel status first, then only what changed, with a full status at least every
 * FULL_CHANNELS_EVERY_MS and whenever the set of channels changes; the others get the full status every time.
 * Used by the real agent and the simulator alike, so both speak exactly the same wire.
 */
import { type ChannelStatus, diffChannels, FULL_CHANNELS_EVERY_MS, type HeartbeatMessage } from './protocol';

export interface StreamClient {
  send(frame: string): void;
}

interface ClientState {
  deltas: boolean;
  /** Has had a full channel status since it asked for deltas (and every heartbeat since). */
  synced: boolean;
}

export class HeartbeatSender {
  private readonly clients = new Map<StreamClient, ClientState>();
  private lastChannels: ChannelStatus[] | null = null;
  private lastFullAt = -Infinity;

  constructor(private readonly fullEveryMs = FULL_CHANNELS_EVERY_MS) {}

  get size(): number {
    return this.clients.size;
  }

  add(client: StreamClient): void {
    this.clients.set(client, { deltas: false, synced: false });
  }

  remove(client: StreamClient): void {
    this.clients.delete(client);
  }

  /** What the console said in its `configure` message. */
  setDeltas(client: StreamClient, deltas: boolean): void {
    const state = this.clients.get(client);
    if (!state || state.deltas === deltas) return;
    state.deltas = deltas;
    state.synced = false;
  }

  /** Sends one heartbeat to every client, each in the form it asked for. */
  send(message: HeartbeatMessage, now: number): void {
    const transcoder = message.status.transcoder;
    let full: string | null = null;
    let delta: string | null = null;
    const fullFrame = () => (full ??= JSON.stringify(message));
    if (!transcoder) {
      this.lastChannels = null;
      for (const client of this.clients.keys()) client.send(fullFrame());
      return;
    }
    const fullDue = now - this.lastFullAt >= this.fullEveryMs;
    const changed = fullDue ? null : diffChannels(this.lastChannels, transcoder.channels);
    this.lastChannels = transcoder.channels;
    if (changed === null) this.lastFullAt = now;
    for (const [client, state] of this.clients) {
      if (state.deltas && state.synced && changed !== null) {
        if (delta === null) {
          const { transcoder: _full, ...rest } = message.status;
          const transcoderDelta = transcoder.scan ? { changed, scan: transcoder.scan } : { changed };
          delta = JSON.stringify({ ...message, status: { ...rest, transcoderDelta } });
        }
        client.send(delta);
      } else {
        client.send(fullFrame());
        state.synced = state.deltas;
      }
    }
  }
}
