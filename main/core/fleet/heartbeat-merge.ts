/**
 * The console's side of channel deltas (agents/protocol/channel-delta.ts): every heartbeat leaves the link with the
 * full `status.transcoder`, as older agents send it, so nothing past the link knows deltas exist.
 */
import { applyChannelDelta, type ChannelStatus, type HeartbeatMessage } from '../../../agents/protocol';

export type MergeResult =
  | { ok: true; message: HeartbeatMessage; channels: ChannelStatus[] | null }
  /** The delta did not fit: the heartbeat still counts (without its channels) and the next full status re-syncs. */
  | { ok: false; message: HeartbeatMessage; channels: ChannelStatus[] | null; reason: string };

/** `previous`: the channel list this link holds (null: none since hello). Returns the full heartbeat and the new list. */
export function mergeHeartbeat(message: HeartbeatMessage, previous: ChannelStatus[] | null): MergeResult {
  const { transcoder, transcoderDelta } = message.status;
  if (transcoder) {
    if (!transcoderDelta) return { ok: true, message, channels: transcoder.channels };
    const { transcoderDelta: _dropped, ...status } = message.status;
    return { ok: true, message: { ...message, status }, channels: transcoder.channels };
  }
  if (!transcoderDelta) return { ok: true, message, channels: null };
  const { transcoderDelta: _delta, ...rest } = message.status;
  if (!previous) {
    return { ok: false, message: { ...message, status: rest }, channels: null, reason: 'a channel delta before any full channel status' };
  }
  const applied = applyChannelDelta(previous, transcoderDelta.changed);
  if (!applied.ok) return { ok: false, message: { ...message, status: rest }, channels: null, reason: applied.reason };
  const full = transcoderDelta.scan ? { channels: applied.channels, scan: transcoderDelta.scan } : { channels: applied.channels };
  return { ok: true, message: { ...message, status: { ...rest, transcoder: full } }, channels: applied.channels };
}
