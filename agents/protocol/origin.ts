/** Wire schemas of the origin role: its part of the heartbeat and its section of the agent config file. */
import { z } from 'zod';

/** The origin role's part of a heartbeat. (Slot: filled in by the issue that builds the origin role.) */
export const OriginStatus = z.object({});
export type OriginStatus = z.infer<typeof OriginStatus>;

/** The `origin` section of the agent config file. */
export const OriginAgentConfig = z.object({});
export type OriginAgentConfig = z.infer<typeof OriginAgentConfig>;
