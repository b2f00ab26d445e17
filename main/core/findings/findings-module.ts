/**
 * The findings board: each rule module publishes its whole current set; the board keeps them, tells the UIs, journals
 * what appeared and cleared, and feeds the alert engine raise/clear events through diffFindings. What it last
 * published is saved, so after a restart a condition that ended while the console was closed is still cleared.
 */
import { z } from 'zod';
import type { EngineContext, EngineModule } from '../engine-context';
import { severityRank } from '../severity';
import { loadStoredValue } from '../store/stored-value';
import { diffFindings, Finding, type FindingChanges } from './finding';
import { type FindingAlertEvent, findingAlertEvents, topologyEvent } from './finding-alerts';
import { FindingSource, type FindingsQueryName, type SourcedFinding } from './findings-contract';

export const PUBLISHED_KEY = 'findings.published';
const Published = z.partialRecord(FindingSource, z.array(Finding));

/** Where the board sends alert events (the alert engine's runner); a returned string is a refusal, logged. */
export type AlertSink = (event: FindingAlertEvent) => string | null | void;

export interface FindingsModule extends EngineModule<FindingsQueryName> {
  /** Replaces every finding of `source` with `findings` (the rule's full result). */
  publish(source: FindingSource, findings: readonly Finding[]): void;
  /** Child host → the switches it hangs off, for the alert engine's parent/child folding. */
  publishTopology(parents: Record<string, string[]>): void;
  list(): SourcedFinding[];
  /** Changes as they are published, for tests and other modules. */
  onChanges(listener: (source: FindingSource, changes: FindingChanges) => void): () => void;
}

export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.key.localeCompare(b.key));
}

export function createFindingsModule(ctx: EngineContext, opts: { alerts?: AlertSink } = {}): FindingsModule {
  const loaded = loadStoredValue(ctx.store, PUBLISHED_KEY, Published, {});
  if (loaded.problem) {
    ctx.log('error', loaded.problem);
    ctx.journal.append({ kind: 'findings.store-invalid', severity: 'major', message: `${loaded.problem}; alerts of findings that ended meanwhile may stay open until resolved by hand` });
  }
  // What each source had published when the console last ran: its first publish now diffs against it, so what ended
  // meanwhile is cleared. Not shown as current: it is what was true then.
  const saved = new Map<FindingSource, Finding[]>(Object.entries(loaded.value) as [FindingSource, Finding[]][]);
  const current = new Map<FindingSource, Finding[]>();
  const listeners = new Set<(source: FindingSource, changes: FindingChanges) => void>();
  let lastTopology: string | null = null;

  const send = (event: FindingAlertEvent) => {
    const refused = opts.alerts?.(event);
    if (typeof refused === 'string') ctx.log('warn', 'the alert engine refused a finding event', { event: event.type, refused });
  };

  const list = (): SourcedFinding[] => sortFindings([...current].flatMap(([source, findings]) => findings.map((f) => ({ ...f, source }))));

  const journal = (before: readonly Finding[], changes: FindingChanges) => {
    const old = new Map(before.map((f) => [f.key, f]));
    for (const f of changes.raised) {
      const prev = old.get(f.key);
      if (prev && prev.severity === f.severity) continue; // same condition reworded: the alert engine keeps its history
      ctx.journal.append({
        kind: 'finding.raised',
        severity: f.severity,
        hostId: f.hostId !== null && ctx.inventory.get(f.hostId) ? f.hostId : null,
        message: `${f.summary}${f.fix ? ` — ${f.fix}` : ''}`,
        data: { key: f.key, kind: f.kind, related: f.related, ...(prev ? { was: prev.severity } : {}) },
      });
    }
    for (const key of changes.cleared) {
      const f = old.get(key)!;
      ctx.journal.append({ kind: 'finding.cleared', severity: 'info', hostId: f.hostId !== null && ctx.inventory.get(f.hostId) ? f.hostId : null, message: `cleared: ${f.summary}`, data: { key, kind: f.kind } });
    }
  };

  const persist = () => {
    try {
      ctx.store.set(PUBLISHED_KEY, Object.fromEntries([...saved, ...current]));
    } catch (err) {
      ctx.log('error', 'could not save the published findings', { error: (err as Error).message });
    }
  };

  return {
    queries: { 'findings.list': async () => list() },
    commands: {},
    list,
    publish(source, findings) {
      const first = !current.has(source);
      const before = current.get(source) ?? saved.get(source) ?? [];
      saved.delete(source);
      const changes = diffFindings(before, findings);
      current.set(source, [...findings]);
      if (changes.raised.length === 0 && changes.cleared.length === 0 && !first) return;
      journal(before, changes);
      persist();
      for (const event of findingAlertEvents(changes, before)) send(event);
      ctx.emit({ type: 'findings.changed', payload: { findings: list() } });
      for (const listener of listeners) listener(source, changes);
    },
    publishTopology(parents) {
      const text = JSON.stringify(parents);
      if (text === lastTopology) return;
      lastTopology = text;
      send(topologyEvent(parents));
    },
    onChanges(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
