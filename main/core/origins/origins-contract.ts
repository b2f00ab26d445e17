/**
 * The UI contract of origins: the stream × origin matrix, the minOrigins rule and "what goes dark if this origin
 * dies". zod only, importable by the renderer; api.ts spreads these maps in with one line each.
 */
import { z } from 'zod';
import { OriginMatrix, OriginSettings } from './matrix-view';

const streamKey = z.string().trim().min(1).max(520);

export const StreamImpact = z.object({
  key: z.string(),
  clients: z.number().int().nonnegative(),
  /** Origins (host ids) the stream would still be live on. */
  remaining: z.array(z.string()),
});

export const OriginLossImpact = z.object({
  hostId: z.string(),
  /** Live only on this origin: off the air if it dies. */
  dark: z.array(StreamImpact),
  /** Still live elsewhere, but below its minimum. */
  belowMin: z.array(StreamImpact),
  /** Players of the dark streams. */
  playersCut: z.number().int().nonnegative(),
});
export type OriginLossImpact = z.infer<typeof OriginLossImpact>;

export const OriginsOverview = z.object({
  matrix: OriginMatrix,
  settings: OriginSettings,
  /** The loss of each origin, worst first. */
  impacts: z.array(OriginLossImpact),
  /** Console time the matrix was built. */
  builtAt: z.number(),
});
export type OriginsOverview = z.infer<typeof OriginsOverview>;

export const OriginRulesPatch = z
  .object({
    /** The minimum for every stream without an exception. */
    minOrigins: z.number().int().min(1).max(16).optional(),
    /** One stream's exception; `minOrigins: null` removes it (0 means "one origin or none is fine"). */
    stream: z.object({ key: streamKey, minOrigins: z.number().int().min(0).max(16).nullable() }).strict().optional(),
  })
  .strict()
  .refine((p) => p.minOrigins !== undefined || p.stream !== undefined, { message: 'change the default minimum or one stream' });

export const originsQueries = {
  'origins.overview': { input: z.object({}).strict(), output: OriginsOverview },
  'origins.impact': { input: z.object({ hostId: z.string().min(1).max(64) }).strict(), output: OriginLossImpact },
} as const;

export const originsCommands = {
  'origins.rules.update': { input: OriginRulesPatch, output: OriginSettings },
} as const;

export const originsEvents = {
  /** The matrix again after a heartbeat changed it (coalesced: at most about once a second). */
  'origins.changed': OriginsOverview,
} as const;

export type OriginsQueryName = keyof typeof originsQueries;
export type OriginsCommandName = keyof typeof originsCommands;
