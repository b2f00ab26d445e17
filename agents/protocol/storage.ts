/** Wire schemas of the storage role: its part of the heartbeat and its section of the agent config file. */
import { z } from 'zod';

/** The storage role's part of a heartbeat. (Slot: filled in by the issue that builds the storage role.) */
export const StorageStatus = z.object({});
export type StorageStatus = z.infer<typeof StorageStatus>;

/** The `storage` section of the agent config file. */
export const StorageAgentConfig = z.object({});
export type StorageAgentConfig = z.infer<typeof StorageAgentConfig>;
