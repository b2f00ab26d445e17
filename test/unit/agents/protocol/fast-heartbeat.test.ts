import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentMessage, ChannelStatus, DiskStatus, NicStatus, parseAgentMessage, SystemStatus } from '../../../../agents/protocol';
import { FAST_DISK_FIELDS, FAST_NIC_FIELDS, FAST_PATCH_FIELDS, FAST_SYSTEM_FIELDS, fastHeartbeat } from '../../../../agents/protocol/fast-heartbeat';

const HASH = 'c'.repeat(64);

/** A small seeded generator, so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!, chance: (p: number) => next() < p };
}

/** Values at and past the edges of every rule the schemas have, of every JSON type. */
const ODD_VALUES: unknown[] = [
  null, true, false, 0, -0, -1, 0.5, 1, 25, 99.9, 100, 100.5, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e300, -1e-9,
  '', 'x', 'news', 'x'.repeat(64), 'x'.repeat(65), 'y'.repeat(512), 'y'.repeat(513), 'z'.repeat(1024), 'z'.repeat(1025),
  HASH, HASH.toUpperCase(), `${HASH}0`, 'running', 'config-error', 'RUNNING', [], [1], {}, { at: 1, code: 0, signal: null },
];

function validPatch(r: ReturnType<typeof rng>, name: string): Record<string, unknown> {
  const patch: Record<string, unknown> = { name };
  if (r.chance(0.8)) patch.uptimeMs = Math.floor(r.next() * 1e6);
  if (r.chance(0.8)) patch.lastOutputAt = 1_700_000_000_000 + Math.floor(r.next() * 1e6);
  if (r.chance(0.5)) patch.bitrateKbps = 2480 + Math.floor(r.next() * 40);
  if (r.chance(0.2)) patch.segmentsCompleted = Math.floor(r.next() * 100);
  if (r.chance(0.1)) patch.state = r.pick(ChannelStatus.shape.state.options);
  if (r.chance(0.1)) patch.configHash = r.chance(0.5) ? HASH : null;
  if (r.chance(0.1)) patch.reason = r.chance(0.5) ? 'exited with code 1' : null;
  if (r.chance(0.05)) patch.lastExit = { at: 5, code: 1, signal: null };
  return patch;
}

function validHeartbeat(r: ReturnType<typeof rng>): Record<string, unknown> {
  const status: Record<string, unknown> = {};
  if (r.chance(0.9)) {
    status.system = {
      hostname: 'tc-1', cpuPct: r.next() * 100, cpuCores: 16, memUsedBytes: 1e9, memTotalBytes: 3.2e10, uptimeSec: 86_400,
      disks: [{ mount: '/', sizeBytes: 5e11, usedBytes: 1.2e11, usedPct: 24 }],
      nics: [{ name: 'eth0', up: true, rxBytesPerSec: 6e7, txBytesPerSec: 5.5e7 }],
    };
  }
  if (r.chance(0.9)) status.transcoderDelta = { changed: Array.from({ length: Math.floor(r.next() * 20) }, (_, i) => validPatch(r, `ch${i}`)) };
  return { type: 'heartbeat', seq: Math.floor(r.next() * 1e6), sentAt: 1_700_000_000_000, status, events: [] };
}

/** Every object inside `value`, with its parent, so one can be changed at random. */
function objectsIn(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) value.forEach((v) => objectsIn(v, out));
  else if (value && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    Object.values(value).forEach((v) => objectsIn(v, out));
  }
  return out;
}

/** One to three changes anywhere: a field set to an odd value, removed, or added under a known or unknown name. */
function mutate(r: ReturnType<typeof rng>, message: Record<string, unknown>): void {
  const names = [...FAST_PATCH_FIELDS.keys(), ...FAST_SYSTEM_FIELDS.keys(), 'disks', 'nics', 'scan', 'transcoder', 'archive', 'events', 'extra', '__proto__', 'type', 'seq'];
  for (let n = 1 + Math.floor(r.next() * 3); n > 0; n--) {
    const target = r.pick(objectsIn(message));
    const keys = Object.keys(target);
    const roll = r.next();
    if (roll < 0.6 && keys.length) target[r.pick(keys)] = structuredClone(r.pick(ODD_VALUES));
    else if (roll < 0.75 && keys.length) delete target[r.pick(keys)];
    else Object.defineProperty(target, r.pick(names), { value: structuredClone(r.pick(ODD_VALUES)), enumerable: true, configurable: true, writable: true });
  }
}

describe('the fast heartbeat path', () => {
  it('accepts nothing zod would refuse, and what it accepts is exactly what zod parses (20,000 random messages)', () => {
    let accepted = 0;
    let mutatedAccepted = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const r = rng(seed);
      const message = validHeartbeat(r);
      const mutated = r.chance(0.7);
      if (mutated) mutate(r, message);
      const wire = JSON.parse(JSON.stringify(message)) as unknown;
      const fast = fastHeartbeat(JSON.parse(JSON.stringify(message)));
      if (!fast) continue;
      accepted++;
      if (mutated) mutatedAccepted++;
      const slow = AgentMessage.safeParse(wire);
      assert.ok(slow.success, `seed ${seed}: the fast path accepted what zod refuses: ${JSON.stringify(message).slice(0, 400)} — ${slow.error?.message}`);
      assert.deepEqual(fast, slow.data, `seed ${seed}: zod parses it differently`);
    }
    assert.ok(accepted > 5000, `the fast path took ${accepted} of 20,000, so it is exercised`);
    assert.ok(mutatedAccepted > 500, `including ${mutatedAccepted} changed ones (changes that stay valid)`);
  });

  it('takes the heartbeats a simulated transcoder sends, and leaves a refusal and its words to zod', () => {
    const good = JSON.stringify(validHeartbeat(rng(7)));
    assert.ok(fastHeartbeat(JSON.parse(good)));
    const parsed = parseAgentMessage(good);
    assert.ok(parsed.ok);
    const bad = parseAgentMessage(JSON.stringify({ type: 'heartbeat', seq: 1, sentAt: 1, status: { transcoderDelta: { changed: [{ name: 'a', fps: -1 }] } }, events: [] }));
    assert.ok(!bad.ok);
    assert.match(bad.reason, /status\.transcoderDelta\.changed\.0\.fps/);
  });

  it('checks every field the schemas declare (a new field must be added here, or such heartbeats all go to zod)', () => {
    assert.deepEqual([...FAST_PATCH_FIELDS.keys()].sort(), Object.keys(ChannelStatus.shape).filter((k) => k !== 'lastExit').sort());
    assert.deepEqual([...FAST_SYSTEM_FIELDS.keys(), 'disks', 'nics'].sort(), Object.keys(SystemStatus.shape).sort());
    assert.deepEqual([...FAST_DISK_FIELDS.keys()].sort(), Object.keys(DiskStatus.shape).sort());
    assert.deepEqual([...FAST_NIC_FIELDS.keys()].sort(), Object.keys(NicStatus.shape).sort());
  });
});
