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

/** The channel list after a delta, or why the delta does not fit the list it is applied to. Never mutates `previous`. */
export function applyChannelDelta(
  previous: readonly ChannelStatus[],
  changed: readonly ChannelStatusPatch[],
): { ok: true; channels: ChannelStatus[] } | { ok: false; reason: string } {
  if (changed.length === 0) return { ok: true, channels: previous as ChannelStatus[] };
  const index = new Map<string, number>();
  previous.forEach((c, i) => index.set(c.name, i));
  const channels = previous.slice();
  for (const patch of changed) {
    const at = index.get(patch.name);
    if (at === undefined) return { ok: false, reason: `channel delta names unknown channel "${patch.name}"` };
    channels[at] = { ...channels[at]!, ...patch };
  }
  return { ok: true, channels };
}
