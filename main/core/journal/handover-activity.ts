/**
 * The people side of the shift report, read off journal entries: who was on shift, what they did and how it went,
 * configuration that changed behind the console's back, and notes.
 */
import { z } from 'zod';
import type { JournalEntry } from '../api';
import { severityRank } from '../severity';
import type { ActionOutcome, HandoverNote, OperatorAction, OutOfBandChange, ShiftOperator } from './handover-schemas';

export const HANDOVER_JOURNAL_KINDS = {
  signIn: 'operator.signin',
  signOut: 'operator.signout',
  note: 'note',
  outOfBand: 'config.out-of-band',
  signOff: 'handover.signoff',
} as const;

const NOT_ACTIONS: ReadonlySet<string> = new Set([HANDOVER_JOURNAL_KINDS.signIn, HANDOVER_JOURNAL_KINDS.signOut, HANDOVER_JOURNAL_KINDS.note, HANDOVER_JOURNAL_KINDS.signOff]);

/**
 * How an action's outcome is journalled: `data.outcome` on the action's entry, or on a later entry whose
 * `data.actionId` is the action entry's id (a failover runner reporting back, say); `data.error` means failed.
 */
const OutcomeData = z.looseObject({
  outcome: z.enum(['ok', 'failed', 'pending']).optional(),
  error: z.string().optional(),
  actionId: z.string().optional(),
});

function operatorOf(entry: JournalEntry): string | null {
  if (entry.operator) return entry.operator;
  const named = entry.data?.['operator'];
  return entry.kind === HANDOVER_JOURNAL_KINDS.signIn && typeof named === 'string' && named ? named : null;
}

/** Everyone seen in the window (signed in, or attributed an entry), first on shift first. */
export function shiftOperatorsOf(entries: readonly JournalEntry[], actions: readonly OperatorAction[]): ShiftOperator[] {
  const byName = new Map<string, ShiftOperator>();
  for (const entry of entries) {
    const name = operatorOf(entry);
    if (!name) continue;
    const o = byName.get(name) ?? { name, signedInAtMs: null, firstSeenAtMs: entry.at, lastSeenAtMs: entry.at, actionCount: 0 };
    byName.set(name, o);
    o.firstSeenAtMs = Math.min(o.firstSeenAtMs, entry.at);
    o.lastSeenAtMs = Math.max(o.lastSeenAtMs, entry.at);
    if (entry.kind === HANDOVER_JOURNAL_KINDS.signIn) o.signedInAtMs = Math.min(o.signedInAtMs ?? entry.at, entry.at);
  }
  for (const action of actions) {
    const o = byName.get(action.operator);
    if (o) o.actionCount++;
  }
  return [...byName.values()].sort((a, b) => (a.signedInAtMs ?? a.firstSeenAtMs) - (b.signedInAtMs ?? b.firstSeenAtMs));
}

export function operatorActionsOf(entries: readonly JournalEntry[]): OperatorAction[] {
  const followUps = new Map<string, JournalEntry[]>();
  const isFollowUp = new Set<string>();
  for (const entry of entries) {
    const actionId = OutcomeData.safeParse(entry.data ?? {}).data?.actionId;
    if (!actionId) continue;
    followUps.set(actionId, [...(followUps.get(actionId) ?? []), entry]);
    isFollowUp.add(entry.id);
  }
  return entries
    .filter((e) => e.operator !== null && !NOT_ACTIONS.has(e.kind) && !isFollowUp.has(e.id))
    .map((e) => ({
      entryId: e.id,
      atMs: e.at,
      operator: e.operator!,
      kind: e.kind,
      hostId: e.hostId,
      message: e.message,
      ...outcomeOf(e, followUps.get(e.id) ?? []),
    }));
}

function outcomeOf(action: JournalEntry, followUps: JournalEntry[]): { outcome: ActionOutcome; outcomeDetail: string | null } {
  const last = followUps.at(-1);
  const source = last ?? action;
  const data = OutcomeData.safeParse(source.data ?? {}).data ?? {};
  const detail = data.error ?? (last ? last.message : null);
  if (data.outcome) return { outcome: data.outcome, outcomeDetail: detail };
  if (data.error) return { outcome: 'failed', outcomeDetail: data.error };
  if (last) return { outcome: severityRank(last.severity) >= severityRank('major') ? 'failed' : 'ok', outcomeDetail: last.message };
  return { outcome: 'recorded', outcomeDetail: null };
}

export function outOfBandChangesOf(entries: readonly JournalEntry[]): OutOfBandChange[] {
  return entries
    .filter((e) => e.kind === HANDOVER_JOURNAL_KINDS.outOfBand)
    .map((e) => ({ entryId: e.id, atMs: e.at, hostId: e.hostId, message: e.message }));
}

export function notesOf(entries: readonly JournalEntry[]): HandoverNote[] {
  return entries.filter((e) => e.kind === HANDOVER_JOURNAL_KINDS.note).map((e) => ({ entryId: e.id, atMs: e.at, operator: e.operator, text: e.message }));
}
