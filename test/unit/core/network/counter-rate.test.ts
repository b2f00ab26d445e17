import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterDelta, counterRatePerSec } from '../../../../main/core/network/counter-rate';
import type { CounterValue } from '../../../../main/core/network/if-mib';

const c32 = (v: number | bigint): CounterValue => ({ value: BigInt(v), bits: 32 });
const c64 = (v: number | bigint): CounterValue => ({ value: BigInt(v), bits: 64 });
const MAX32 = 2 ** 32;
const GBIT_BYTES = 125_000_000; // 1 Gbit/s in bytes/s

describe('counter → rate', () => {
  const table: [string, CounterValue, CounterValue, number, number | null, ReturnType<typeof counterDelta>][] = [
    ['a normal rise', c32(1000), c32(6000), 5000, null, { kind: 'delta', delta: 5000n, wrapped: false }],
    ['no change', c64(7), c64(7), 1000, null, { kind: 'delta', delta: 0n, wrapped: false }],
    ['a 32-bit wrap that fits the port', c32(MAX32 - 1000), c32(4000), 5000, GBIT_BYTES, { kind: 'delta', delta: 5000n, wrapped: true }],
    ['a 32-bit wrap with no speed known, small', c32(MAX32 - 10), c32(10), 5000, null, { kind: 'delta', delta: 20n, wrapped: true }],
    ['a 32-bit drop too large for the port: a reset', c32(3_000_000_000), c32(5), 5000, 1_250_000, { kind: 'reset', reason: 'went-back' }],
    ['a 32-bit drop by most of the range, no speed: a reset', c32(100), c32(50), 5000, null, { kind: 'reset', reason: 'went-back' }],
    ['a 64-bit counter going back: a reset, never a wrap', c64(2n ** 64n - 5n), c64(10), 5000, null, { kind: 'reset', reason: 'went-back' }],
    ['a rise faster than the port can carry: a discontinuity', c64(0), c64(10_000_000_000), 1000, GBIT_BYTES, { kind: 'reset', reason: 'implausible' }],
    ['counter width changed (ifXTable appeared)', c32(5), c64(10), 1000, null, { kind: 'reset', reason: 'width-changed' }],
    ['no time between samples', c32(5), c32(10), 0, null, { kind: 'reset', reason: 'no-time' }],
  ];
  for (const [what, prev, curr, elapsedMs, max, want] of table) {
    it(what, () => assert.deepEqual(counterDelta(prev, curr, elapsedMs, max), want));
  }

  it('gives units per second, null after a reset or without a previous sample', () => {
    assert.equal(counterRatePerSec(c64(0), c64(2_500_000), 2000), 1_250_000);
    assert.equal(counterRatePerSec(c32(MAX32 - 500), c32(500), 1000, GBIT_BYTES), 1000);
    assert.equal(counterRatePerSec(c64(10), c64(5), 1000), null);
    assert.equal(counterRatePerSec(null, c64(5), 1000), null);
  });
});
