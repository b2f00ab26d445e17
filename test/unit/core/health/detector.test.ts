import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type HealthEvent, initialHealth, nextHealth } from '../../../../main/core/health/detector';

const settings = { suspectAfterMs: 1500, downAfterMs: 3000 };

/** Runs a script of [ms since start, event] and returns the state after each step. */
function run(script: [number, 'hb' | 'tick' | 'lost'][]): string[] {
  let h = initialHealth(0);
  return script.map(([at, kind]) => {
    const event: HealthEvent = kind === 'hb' ? { type: 'heartbeat', at } : kind === 'tick' ? { type: 'tick', now: at } : { type: 'link-lost', at };
    h = nextHealth(h, event, settings);
    return h.state;
  });
}

describe('health detector', () => {
  it('follows the transition table', () => {
    const table: { name: string; script: [number, 'hb' | 'tick' | 'lost'][]; states: string[] }[] = [
      { name: 'first heartbeat → ok', script: [[100, 'hb']], states: ['ok'] },
      { name: 'heartbeats keep it ok', script: [[0, 'hb'], [500, 'hb'], [1000, 'tick'], [1400, 'tick']], states: ['ok', 'ok', 'ok', 'ok'] },
      { name: 'silence → attention → down', script: [[0, 'hb'], [1499, 'tick'], [1500, 'tick'], [2999, 'tick'], [3000, 'tick']], states: ['ok', 'ok', 'attention', 'attention', 'down'] },
      { name: 'a heartbeat clears attention', script: [[0, 'hb'], [2000, 'tick'], [2100, 'hb']], states: ['ok', 'attention', 'ok'] },
      { name: 'a heartbeat clears down', script: [[0, 'hb'], [5000, 'tick'], [5200, 'hb']], states: ['ok', 'down', 'ok'] },
      { name: 'never heard → down after the down window, no attention', script: [[1000, 'tick'], [2000, 'tick'], [3000, 'tick']], states: ['unknown', 'unknown', 'down'] },
      { name: 'a lost link alone changes nothing; the clock decides', script: [[0, 'hb'], [100, 'lost'], [1600, 'tick']], states: ['ok', 'ok', 'attention'] },
      { name: 'a long gap between ticks goes straight to down', script: [[0, 'hb'], [10_000, 'tick']], states: ['ok', 'down'] },
    ];
    for (const row of table) assert.deepEqual(run(row.script), row.states, row.name);
  });

  it('records when the state changed, not when it was last confirmed', () => {
    let h = nextHealth(initialHealth(0), { type: 'heartbeat', at: 10 }, settings);
    h = nextHealth(h, { type: 'heartbeat', at: 510 }, settings);
    assert.equal(h.since, 10);
    assert.equal(h.lastHeartbeatAt, 510);
    h = nextHealth(h, { type: 'tick', now: 2100 }, settings);
    assert.deepEqual([h.state, h.since], ['attention', 2100]);
  });
});
