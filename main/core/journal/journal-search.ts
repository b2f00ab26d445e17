/** The journal view's filter over entries read from the day files. Pure. */
import type { JournalEntry } from '../api';
import { type Severity, severityRank } from '../severity';

export interface JournalFilter {
  /** A kind, or a prefix ending in a dot (`alert.`). */
  kind?: string;
  /** At least this severity. */
  severity?: Severity;
  hostId?: string;
  /** Words that must all appear in the message, kind or operator, in any case. */
  text?: string;
  limit: number;
}

/** Matching entries newest first, at most `limit`, and whether more matched. */
export function searchEntries(entries: readonly JournalEntry[], filter: JournalFilter): { entries: JournalEntry[]; truncated: boolean } {
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const minRank = filter.severity ? severityRank(filter.severity) : -1;
  const kind = filter.kind || undefined;
  const matches = (e: JournalEntry) =>
    (kind === undefined || (kind.endsWith('.') ? e.kind.startsWith(kind) : e.kind === kind)) &&
    severityRank(e.severity) >= minRank &&
    (!filter.hostId || e.hostId === filter.hostId) &&
    (words.length === 0 || containsAll(`${e.message} ${e.kind} ${e.operator ?? ''}`.toLowerCase(), words));
  const out: JournalEntry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (!matches(entry)) continue;
    if (out.length === filter.limit) return { entries: out, truncated: true };
    out.push(entry);
  }
  return { entries: out, truncated: false };
}

function containsAll(haystack: string, words: string[]): boolean {
  return words.every((w) => haystack.includes(w));
}
