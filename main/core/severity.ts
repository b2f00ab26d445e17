/**
 * Severity, shared by alerts and the journal. It lives in its own module (zod only, no other imports) so that
 * api.ts can re-export the alert and handover schemas without an import cycle.
 */
import { z } from 'zod';

export const Severity = z.enum(['critical', 'major', 'minor', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Higher is worse: critical 4 … info 0. */
export function severityRank(severity: Severity): number {
  return 4 - Severity.options.indexOf(severity);
}

export function worseSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
