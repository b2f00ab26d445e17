import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFailureStreak, restartDelayMs } from '../../../../../agents/roles/transcoder/backoff';

const policy = { minMs: 1000, maxMs: 30_000, factor: 2, stableAfterMs: 30_000 };

describe('restart back-off', () => {
  const delays: [number, number][] = [
    [0, 1000],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 16_000],
    [6, 30_000],
    [50, 30_000],
  ];
  for (const [streak, delay] of delays) {
    it(`waits ${delay} ms before restart number ${streak} in a row`, () => assert.equal(restartDelayMs(streak, policy), delay));
  }

  it('a factor of 1 is a constant delay', () => {
    assert.equal(restartDelayMs(7, { ...policy, factor: 1 }), 1000);
  });

  const streaks: [number, number, number][] = [
    [0, 0, 1],
    [1, 500, 2],
    [5, 29_999, 6],
    [5, 30_000, 1],
    [9, 3_600_000, 1],
  ];
  for (const [streak, ranForMs, next] of streaks) {
    it(`after a run of ${ranForMs} ms, streak ${streak} becomes ${next}`, () => assert.equal(nextFailureStreak(streak, ranForMs, policy), next));
  }
});
