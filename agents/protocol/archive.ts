/** Wire schemas of the archive role: its part of the heartbeat and its section of the agent config file. */
import { z } from 'zod';

/** The archive role's part of a heartbeat. (Slot: filled in by the issue that builds the archive role.) */
export const ArchiveStatus = z.object({});
export type ArchiveStatus = z.infer<typeof ArchiveStatus>;

/** The `archive` section of the agent config file. */
export const ArchiveAgentConfig = z.object({});
export type ArchiveAgentConfig = z.infer<typeof ArchiveAgentConfig>;
