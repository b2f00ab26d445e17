import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { moduleHarness } from '../module-harness';

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

describe('probe peers', () => {
  it('spreads the probe rounds of hosts going silent together over the fleet, not onto its first two hosts', async () => {
    const h = moduleHarness();
    cleanups.push(h.cleanup);
    const ids = Array.from({ length: 10 }, (_, i) => h.addHost({ name: `tc-${i}`, ip: `127.0.80.${i + 1}` }));
    const asked = new Map<string, number>();
    for (const id of ids) {
      const rt = h.fleet.runtime(id)!;
      const original = rt.link!.request.bind(rt.link);
      rt.link!.request = ((method: 'POST', path: string, body?: unknown, timeoutMs?: number) => {
        if (path === '/v1/probe') asked.set(rt.host.name, (asked.get(rt.host.name) ?? 0) + 1);
        return original(method, path, body, timeoutMs);
      }) as NonNullable<typeof rt.link>['request'];
    }
    const silent = new Set(ids.slice(6));
    const live = ids.slice(0, 6);
    await h.advance(3000, () => ids.forEach((id) => h.beat(id)));
    assert.ok(ids.every((id) => h.fleet.view(id)!.health === 'ok'));
    await h.advance(30_000, () => live.forEach((id) => h.beat(id)));
    assert.ok([...silent].every((id) => h.fleet.view(id)!.health === 'down'), 'the silent hosts were still declared down');
    const total = [...asked.values()].reduce((a, b) => a + b, 0);
    assert.ok(total >= 8, `probe rounds ran (${total} peer asks)`);
    assert.ok(![...asked.keys()].some((name) => silent.has(ids[Number(name.slice(3))]!)), 'a silent host is never asked to vouch');
    assert.ok(asked.size >= 4, `the asks went to ${asked.size} peers: ${JSON.stringify([...asked])}`);
    assert.ok(Math.max(...asked.values()) <= total / 2, `no peer carried most of them: ${JSON.stringify([...asked])}`);
  });
});
