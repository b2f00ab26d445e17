import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectRestart } from '../../../../main/core/network/reboot-detector';

const T = 2 ** 32;

describe('restart detection from sysUpTime', () => {
  const table: [string, [number, number], [number, number], boolean][] = [
    ['uptime advanced with the clock', [0, 100_000], [5000, 100_500], false],
    ['a little latency jitter', [0, 100_000], [5000, 100_480], false],
    ['uptime went back: restarted', [0, 100_000], [5000, 300], true],
    ['restarted long ago but polled rarely: less uptime than time passed', [0, 50_000], [600_000, 40_000], true],
    ['restarted between polls and already past the old uptime', [0, 1_000], [600_000, 30_000], true],
    ['the 497-day wrap is not a restart', [0, T - 200], [5000, 300], false],
    ['a wrap-sized jump that does not fit the time passed is a restart', [0, T - 200], [5000, 90_000], true],
  ];
  for (const [what, [t0, u0], [t1, u1], restarted] of table) {
    it(what, () => {
      const verdict = detectRestart({ atMs: t0, sysUpTimeCs: u0 }, { atMs: t1, sysUpTimeCs: u1 });
      assert.equal(verdict.restarted, restarted);
      if (verdict.restarted) assert.equal(verdict.bootAtMs, t1 - u1 * 10);
    });
  }
});
