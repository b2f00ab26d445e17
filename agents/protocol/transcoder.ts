/** Wire schemas of the transcoder role: its part of the heartbeat and its section of the agent config file. */
import { z } from 'zod';

/** The transcoder role's part of a heartbeat. (Slot: filled in by the issue that builds the transcoder role.) */
export const TranscoderStatus = z.object({});
export type TranscoderStatus = z.infer<typeof TranscoderStatus>;

/** The `transcoder` section of the agent config file. */
export const TranscoderAgentConfig = z.object({});
export type TranscoderAgentConfig = z.infer<typeof TranscoderAgentConfig>;
