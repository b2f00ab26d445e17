/** Pure: how long to wait before restarting a channel's ffmpeg after it exited. */
import type { BackoffSettings } from '../../protocol';

/** Delay before the `failuresInRow`-th consecutive restart (1 → minMs, then × factor, capped at maxMs). */
export function restartDelayMs(failuresInRow: number, policy: BackoffSettings): number {
  if (failuresInRow <= 1) return policy.minMs;
  const delay = policy.minMs * policy.factor ** (failuresInRow - 1);
  return Math.min(policy.maxMs, Math.round(delay));
}

/** The streak after an exit: a run that lasted `stableAfterMs` or more starts a new streak. */
export function nextFailureStreak(streak: number, ranForMs: number, policy: BackoffSettings): number {
  return ranForMs >= policy.stableAfterMs ? 1 : streak + 1;
}
