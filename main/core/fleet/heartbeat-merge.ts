/**
 * The console's side of channel deltas (agents/protocol/channel-delta.ts): every heartbeat leaves the link with the
 * full `status.transcoder`, as older agents send it, so nothing past the link knows deltas exist.
 * The link's channel list is updated in place by deltas (see applyChannelDelta): modules downstream always see the
 * latest figures in the objects they were given, and keep what they need to compare (a channel's last state) apart.
 */
import { applyChannelDelta, type ChannelStatus, type HeartbeatMessage } from '../../../agents/protocol';

export type MergeResult =
  | { ok: true; message: HeartbeatMessage; channels: ChannelStatus[] | null }
  /** The delta did not fit: the heartbeat still counts (without its channels) and the next full status re-syncs. */
  | { ok: false; message: HeartbeatMessage; channels: ChannelStatus[] | null; reason: string };

/**
 * `previous`: the channel list this link holds (null: none since hello); a delta updates it in place. Returns the full
 * heartbeat and the list to hold from now on.
 */
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
  const full = transcoderDelta.scan ? { channels: previous, scan: transcoderDelta.scan } : { channels: previous };
  return { ok: true, message: { ...message, status: { ...rest, transcoder: full } }, channels: previous };
}
