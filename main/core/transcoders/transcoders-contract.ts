/**
 * The transcoder calls of the UI contract: channels with their live state, config snapshots with history, diff,
 * restore and edit. zod only, so api.ts can spread these maps and the renderer can use the shapes.
 */
import { z } from 'zod';
import { ChannelName, ChannelStatus, Sha256Hex } from '../../../agents/protocol/transcoder';
import { SideBySideDiff, SnapshotEntry } from '../snapshots/snapshot-schemas';

// Re-exported for the renderer (through api.ts): the editor checks a config field by field exactly as the agent will.
export {
  ChannelConfig,
  channelNameProblem,
  ChannelStatus,
  ConfigIssue,
  parseChannelConfigBytes,
  X264_PRESETS,
} from '../../../agents/protocol/transcoder';
export type { ChannelConfigInput, ChannelConfigParse, ChannelState } from '../../../agents/protocol/transcoder';
export { SideBySideDiff, SnapshotEntry } from '../snapshots/snapshot-schemas';

/** A channel name is checked as the agent checks it: nothing that could escape the channels folder gets that far. */
const hostChannel = z.object({ hostId: z.string().min(1).max(64), channel: ChannelName }).strict();

export const ChannelView = z.object({ hostId: z.string(), hostName: z.string(), status: ChannelStatus });
export type ChannelView = z.infer<typeof ChannelView>;

export const transcoderQueries = {
  'channels.list': { input: z.object({ hostId: z.string().max(64).optional() }).strict(), output: z.array(ChannelView) },
  'channel.history': { input: hostChannel, output: z.object({ entries: z.array(SnapshotEntry), prunedEntries: z.number() }) },
  'snapshot.get': { input: z.object({ hash: Sha256Hex }).strict(), output: z.object({ hash: Sha256Hex, text: z.string(), bytes: z.number() }) },
  'snapshot.diff': { input: z.object({ left: Sha256Hex, right: Sha256Hex }).strict(), output: SideBySideDiff },
} as const;

export const transcoderCommands = {
  /**
   * Puts a stored version back on its host, byte for byte. Only a valid config for this channel is restored;
   * `ifHash` (the host's hash the operator saw) refuses the restore if the file changed meanwhile.
   */
  'channel.restore': { input: hostChannel.extend({ hash: Sha256Hex, ifHash: Sha256Hex.nullable().optional() }).strict(), output: SnapshotEntry },
  /**
   * Saves an edited config (text) to the host, a new channel included; refused with the field errors when it does
   * not validate. `ifHash` guards against overwriting a change made meanwhile (null: only if the channel is new).
   */
  'channel.save': {
    input: hostChannel.extend({ text: z.string().max(64 * 1024), ifHash: Sha256Hex.nullable().optional() }).strict(),
    output: SnapshotEntry,
  },
  'channel.start': { input: hostChannel, output: ChannelStatus },
  'channel.stop': { input: hostChannel, output: ChannelStatus },
  /** Stops the channel and deletes its file on the host; its snapshots stay in the console. */
  'channel.remove': { input: hostChannel, output: z.object({ removed: z.string() }) },
} as const;

export const transcoderEvents = {
  /** A host's channels changed (at most about once a second per host). */
  'channels.changed': z.object({ hostId: z.string(), hostName: z.string(), channels: z.array(ChannelStatus) }),
  'snapshot.recorded': z.object({ hostId: z.string(), channel: z.string(), entry: SnapshotEntry }),
} as const;
