/**
 * SNMP counters → rates. A counter that went down either wrapped (32-bit counters wrap within a minute on a busy
 * 1 Gbit/s port) or was reset (the switch rebooted, the counters were cleared, the row was re-created). A wrap is
 * believed only when the traffic it implies fits the port; 64-bit counters never wrap in practice, so going down is a
 * reset. A reset gives no rate for that interval rather than a spike or a negative number.
 */
import type { CounterValue } from './if-mib';

export type CounterDelta =
  | { kind: 'delta'; delta: bigint; wrapped: boolean }
  | { kind: 'reset'; reason: 'no-time' | 'width-changed' | 'went-back' | 'implausible' };

const MOD_32 = 2n ** 32n;
/** How far above the port speed a rate may read before it is called a discontinuity (samples jitter). */
const HEADROOM = 1.5;

/**
 * @param maxPerSec the most the counter can rise per second (bytes/s of the port speed for octets), when known.
 */
export function counterDelta(prev: CounterValue, curr: CounterValue, elapsedMs: number, maxPerSec: number | null = null): CounterDelta {
  if (elapsedMs <= 0) return { kind: 'reset', reason: 'no-time' };
  if (prev.bits !== curr.bits) return { kind: 'reset', reason: 'width-changed' };
  const limit = maxPerSec === null ? null : (maxPerSec * HEADROOM * elapsedMs) / 1000;
  if (curr.value >= prev.value) {
    const delta = curr.value - prev.value;
    if (limit !== null && Number(delta) > limit) return { kind: 'reset', reason: 'implausible' };
    return { kind: 'delta', delta, wrapped: false };
  }
  if (curr.bits === 64) return { kind: 'reset', reason: 'went-back' };
  const wrapped = MOD_32 - prev.value + curr.value;
  // Without a speed, a wrap is believed when it covers less than half the counter's range.
  const plausible = limit !== null ? Number(wrapped) <= limit : wrapped < MOD_32 / 2n;
  return plausible ? { kind: 'delta', delta: wrapped, wrapped: true } : { kind: 'reset', reason: 'went-back' };
}

/** Units per second between two samples, or null when the counter was reset (or either sample is missing). */
export function counterRatePerSec(
  prev: CounterValue | null,
  curr: CounterValue | null,
  elapsedMs: number,
  maxPerSec: number | null = null,
): number | null {
  if (!prev || !curr) return null;
  const d = counterDelta(prev, curr, elapsedMs, maxPerSec);
  return d.kind === 'delta' ? (Number(d.delta) * 1000) / elapsedMs : null;
}
