/**
 * The UI contract of findings: what the pure rules of origins/ and network/ found in the plant right now (a stream
 * on one origin, a dead switch, a single point of failure), each with its fix. zod only, importable by the renderer;
 * api.ts spreads these maps in with one line each.
 */
import { z } from 'zod';
import { Finding } from './finding';

/** Where a finding came from: the module whose rules produced it. */
export const FindingSource = z.enum(['origins', 'network', 'channels', 'archive']);
export type FindingSource = z.infer<typeof FindingSource>;

export const SourcedFinding = Finding.extend({ source: FindingSource });
export type SourcedFinding = z.infer<typeof SourcedFinding>;

export const findingsQueries = {
  /** Every open finding, worst first. */
  'findings.list': { input: z.object({}).strict(), output: z.array(SourcedFinding) },
} as const;

export const findingsCommands = {} as const;

export const findingsEvents = {
  /** The whole list again whenever a finding appears, changes or clears (it is small: one per condition). */
  'findings.changed': z.object({ findings: z.array(SourcedFinding) }),
} as const;

export type FindingsQueryName = keyof typeof findingsQueries;
