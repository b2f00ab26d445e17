/**
 * Channel deltas on the heartbeat (protocol 1, optional): a console that says so in its `configure` message
 * (`channelDeltas: true`) receives, between full statuses, only the fields of the channels that changed since the
 * previous heartbeat (`status.transcoderDelta`). The agent sends the full `status.transcoder` first, whenever the set or
 * order of channels changes, and at least every FULL_CHANNELS_EVERY_MS. A console that never asks gets full statuses
 * (older consoles); an agent that does not know the option ignores it and keeps sending full statuses (older agents).
 * zod and plain functions only: the agent, the simulator and the console all use this file.
 */
import { z } from 'zod';
import { type ChannelStatus, ChannelStatus as ChannelStatusSchema, ConfigHashList, MAX_CHANNELS } from './transcoder';

/** Most time between two full channel statuses on one stream. */
export const FULL_CHANNELS_EVERY_MS = 10_000;

/** One channel's changed fields; `name` says which channel (absent fields are unchanged, null is a value). */
export const ChannelStatusPatch = ChannelStatusSchema.partial().extend({ name: ChannelStatusSchema.shape.name });
export type ChannelStatusPatch = z.infer<typeof ChannelStatusPatch>;

export const TranscoderDelta = z.object({
  /** Channels whose status changed since the previous heartbeat, in no particular order. */
  changed: z.array(ChannelStatusPatch).max(MAX_CHANNELS),
  /** As in TranscoderStatus: present on the first heartbeat after each rescan. */
  scan: ConfigHashList.optional(),
});
export type TranscoderDelta = z.infer<typeof TranscoderDelta>;

type Field = keyof ChannelStatus;

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // lastExit is the only object field: compare its (flat) fields.
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/**
 * The patches that turn `previous` into `next`, or null when a delta cannot say it: nothing sent before, or the
 * channels are not the same names in the same order (then the full status goes out).
 */
export function diffChannels(previous: readonly ChannelStatus[] | null, next: readonly ChannelStatus[]): ChannelStatusPatch[] | null {
  if (!previous || previous.length !== next.length) return null;
  const patches: ChannelStatusPatch[] = [];
  for (let i = 0; i < next.length; i++) {
    const before = previous[i]!;
    const after = next[i]!;
    if (before.name !== after.name) return null;
    let patch: ChannelStatusPatch | null = null;
    for (const key of Object.keys(after) as Field[]) {
      if (key === 'name' || sameValue(before[key], after[key])) continue;
      patch ??= { name: after.name };
      (patch as Record<string, unknown>)[key] = after[key];
    }
    // A field the previous status had and this one lacks cannot be said as a patch.
    for (const key of Object.keys(before) as Field[]) if (!(key in after)) return null;
    if (patch) patches.push(patch);
  }
  return patches;
}

/** Where channel `name` is in `channels`, looking from `hint` on first (patches come in the list's order). */
function indexOfChannel(channels: readonly ChannelStatus[], name: string, hint: number): number {
  for (let i = hint; i < channels.length; i++) if (channels[i]!.name === name) return i;
  for (let i = 0; i < hint && i < channels.length; i++) if (channels[i]!.name === name) return i;
  return -1;
}

/**
 * Applies a delta to the channel list a console holds for one stream, **in place**: each changed channel's object is
 * updated, not copied. Copying meant twenty new channel objects per heartbeat; at a thousand hosts that garbage lived
 * just long enough to reach V8's old generation and kept the console's heap at three times what it really held. So the
 * list and its objects belong to whoever applies the deltas (the console's agent link); readers see the latest
 * figures through them and must not keep them to compare an older status with a newer one.
 * When a patch names a channel the list does not have, nothing is changed and the reason is returned.
 */
export function applyChannelDelta(channels: ChannelStatus[], changed: readonly ChannelStatusPatch[]): { ok: true } | { ok: false; reason: string } {
  let hint = 0;
  for (const patch of changed) {
    const at = indexOfChannel(channels, patch.name, hint);
    if (at < 0) return { ok: false, reason: `channel delta names unknown channel "${patch.name}"` };
    hint = at + 1;
  }
  hint = 0;
  for (const patch of changed) {
    const at = indexOfChannel(channels, patch.name, hint);
    Object.assign(channels[at]!, patch);
    hint = at + 1;
  }
  return { ok: true };
}
