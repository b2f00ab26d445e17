/**
 * Why an open alert should stay quiet: its host is in maintenance, it is folded under a parent's root-cause alert,
 * or a silence matches it — in that order of precedence. Pure: derived from the engine state and the time.
 */
import type { Alert, AlertEngineState, Silence, SilenceMatcher, Suppression } from './alert-schemas';

export interface SuppressionContext {
  nowMs: number;
  parentGraceMs: number;
  maintenance: ReadonlySet<string>;
  parents: Readonly<Record<string, string[]>>;
  silences: readonly Silence[];
  /** Host → the id of its open "host is down" alert. */
  downAlertIdByHost: ReadonlyMap<string, string>;
}

export function suppressionContext(state: AlertEngineState, nowMs: number): SuppressionContext {
  const earliestDown = new Map<string, Alert>();
  for (const alert of state.open) {
    if (!alert.hostDown || alert.hostId === null) continue;
    const seen = earliestDown.get(alert.hostId);
    if (!seen || alert.firedAtMs < seen.firedAtMs) earliestDown.set(alert.hostId, alert);
  }
  const downAlertIdByHost = new Map([...earliestDown].map(([hostId, alert]) => [hostId, alert.id]));
  return {
    nowMs,
    parentGraceMs: state.settings.parentGraceMs,
    maintenance: new Set(state.maintenanceHostIds),
    parents: state.parents,
    silences: state.silences.filter((s) => s.expiresAtMs > nowMs),
    downAlertIdByHost,
  };
}

export function silenceMatches(m: SilenceMatcher, alert: Pick<Alert, 'key' | 'hostId' | 'severity' | 'kind'>): boolean {
  return (
    (m.keyPrefix === undefined || alert.key.startsWith(m.keyPrefix)) &&
    (m.hostId === undefined || alert.hostId === m.hostId) &&
    (m.severity === undefined || m.severity.includes(alert.severity)) &&
    (m.kind === undefined || alert.kind === m.kind)
  );
}

export function suppressionOf(alert: Alert, ctx: SuppressionContext): Suppression | null {
  if (alert.hostId !== null) {
    if (ctx.maintenance.has(alert.hostId)) return { reason: 'maintenance', hostId: alert.hostId };
    const fold = parentFoldOf(alert.hostId, ctx, null);
    if (fold && fold.rootAlertId !== alert.id) return { reason: 'parent', ...fold, heldUntilMs: null };
    const held = heldFoldOf(alert.suppressedBy, ctx);
    if (held) return held;
  }
  const silence = ctx.silences.find((s) => silenceMatches(s.matcher, alert));
  return silence ? { reason: 'silence', silenceId: silence.id } : null;
}

interface Fold {
  rootAlertId: string;
  parentHostIds: string[];
}

/** A host folds when every parent is down; the root cause is found by walking up (cycles end the walk). */
function parentFoldOf(hostId: string, ctx: SuppressionContext, seen: Set<string> | null): Fold | null {
  const parentHostIds = ctx.parents[hostId];
  if (!parentHostIds?.length || !parentHostIds.every((p) => ctx.downAlertIdByHost.has(p))) return null;
  const first = parentHostIds[0]!;
  const firstDownAlertId = ctx.downAlertIdByHost.get(first)!;
  const path = seen ?? new Set([hostId]);
  if (path.has(first)) return { rootAlertId: firstDownAlertId, parentHostIds };
  path.add(first);
  const above = parentFoldOf(first, ctx, path);
  return { rootAlertId: above?.rootAlertId ?? firstDownAlertId, parentHostIds };
}

/** After the parents came back a fold holds for the grace period, so children that recover on their own never notify. */
function heldFoldOf(before: Suppression | null, ctx: SuppressionContext): Suppression | null {
  if (before?.reason !== 'parent' || ctx.parentGraceMs <= 0) return null;
  const heldUntilMs = before.heldUntilMs ?? ctx.nowMs + ctx.parentGraceMs;
  return ctx.nowMs < heldUntilMs ? { ...before, heldUntilMs } : null;
}

export function sameSuppression(a: Suppression | null, b: Suppression | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.reason === 'maintenance' && b.reason === 'maintenance') return a.hostId === b.hostId;
  if (a.reason === 'silence' && b.reason === 'silence') return a.silenceId === b.silenceId;
  if (a.reason === 'parent' && b.reason === 'parent') {
    return (
      a.rootAlertId === b.rootAlertId &&
      a.heldUntilMs === b.heldUntilMs &&
      a.parentHostIds.length === b.parentHostIds.length &&
      a.parentHostIds.every((p, i) => p === b.parentHostIds[i])
    );
  }
  return false;
}

/** Worth a journal line: the alert became quiet, loud, or quiet for another reason (not a grace period starting). */
export function suppressionChangeIsNews(a: Suppression | null, b: Suppression | null): boolean {
  if (a === null || b === null) return a !== b;
  if (a.reason !== b.reason) return true;
  if (a.reason === 'parent' && b.reason === 'parent') return a.rootAlertId !== b.rootAlertId;
  return !sameSuppression(a, b);
}
