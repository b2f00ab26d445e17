/** Flapping: a key whose condition goes raised↔cleared N times within a window. Pure helpers for the engine. */
import type { AlertSettings, KeyCondition } from './alert-schemas';

export interface ConditionChange {
  condition: KeyCondition;
  /** The condition changed (cleared → raised or raised → cleared), as opposed to a repeated raise. */
  transition: boolean;
}

export function conditionAfter(key: string, before: KeyCondition | undefined, raised: boolean, nowMs: number, windowMs: number): ConditionChange {
  const current = before ?? { key, raised: false, transitionsAtMs: [], lastTransitionAtMs: nowMs };
  if (current.raised === raised) return { condition: current, transition: false };
  const transitionsAtMs = [...current.transitionsAtMs.filter((at) => nowMs - at < windowMs), nowMs];
  return { condition: { key, raised, transitionsAtMs, lastTransitionAtMs: nowMs }, transition: true };
}

export function isFlapping(condition: KeyCondition, settings: Pick<AlertSettings, 'flapTransitions' | 'flapWindowMs'>, nowMs: number): boolean {
  return transitionsInWindow(condition, settings.flapWindowMs, nowMs) >= settings.flapTransitions;
}

export function transitionsInWindow(condition: KeyCondition, windowMs: number, nowMs: number): number {
  return condition.transitionsAtMs.filter((at) => nowMs - at < windowMs).length;
}

export function isQuiet(condition: KeyCondition | undefined, quietMs: number, nowMs: number): boolean {
  return condition === undefined || nowMs - condition.lastTransitionAtMs >= quietMs;
}

/** A condition can be forgotten once it is cleared, has no open alert and its transitions left the window. */
export function isForgettable(condition: KeyCondition, hasOpenAlert: boolean, windowMs: number, nowMs: number): boolean {
  return !condition.raised && !hasOpenAlert && nowMs - condition.lastTransitionAtMs >= windowMs;
}
