import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commands, displayState, HealthSettings, HostSpec, type HostView, isCommandName, isQueryName, queries } from '../../../main/core/api';

const view = (over: Partial<HostView>): HostView => ({
  id: 'h1', name: 'tc-1', address: '127.0.0.2:7411', kind: 'transcoder', role: 'main', group: '', health: 'ok', healthSince: 0, healthReason: null, fencePending: false,
  link: 'connected', linkError: null, agentVersion: '0.1.0', agentRoles: ['system'], lastHeartbeatAt: 0, system: null, ...over,
});

describe('the UI contract', () => {
  it('declares each name once, queries and commands apart', () => {
    for (const name of Object.keys(queries)) assert.equal(isCommandName(name), false, name);
    for (const name of Object.keys(commands)) assert.equal(isQueryName(name), false, name);
    assert.equal(isQueryName('toString'), false, 'prototype names are not calls');
  });

  it('checks a host spec field by field', () => {
    const ok = HostSpec.safeParse({ name: 'tc-1', address: '10.0.0.5:7411', token: 'a'.repeat(16) });
    assert.equal(ok.success, true);
    assert.equal(ok.success && ok.data.role, 'main');
    assert.equal(HostSpec.safeParse({ name: 'x', address: '[::1]:7411', token: 'a'.repeat(16) }).success, true);
    const bad = HostSpec.safeParse({ name: '', address: 'no-port', token: 'short' });
    assert.equal(bad.success, false);
    const fields = new Set(!bad.success ? bad.error.issues.map((i) => i.path[0]) : []);
    assert.deepEqual([...fields].sort(), ['address', 'name', 'token']);
  });

  it('keeps health timers in a sane order', () => {
    const good = { heartbeatMs: 500, suspectAfterMs: 1200, tAddMs: 500, confirmChecks: 3, checkTimeoutMs: 400, tMainMs: 5000 };
    assert.equal(HealthSettings.safeParse(good).success, true);
    assert.equal(HealthSettings.safeParse({ ...good, suspectAfterMs: 600 }).success, false, 'suspect before two heartbeats');
    assert.equal(HealthSettings.safeParse({ ...good, checkTimeoutMs: 500 }).success, false, 'a probe outlasting its round');
    assert.equal(HealthSettings.safeParse({ ...good, confirmChecks: 0 }).success, false, 'at least one confirmation');
  });

  it('shows one state per tile: link problems and maintenance first', () => {
    const table: [Partial<HostView>, string][] = [
      [{}, 'ok'],
      [{ health: 'attention' }, 'attention'],
      [{ health: 'down' }, 'down'],
      [{ link: 'auth-failed', health: 'down' }, 'auth-failed'],
      [{ role: 'maintenance', health: 'down' }, 'maintenance'],
      [{ role: 'reserve' }, 'reserve'],
      [{ role: 'reserve', health: 'down' }, 'down'],
      [{ health: 'unknown', link: 'connecting' }, 'unknown'],
      [{ health: 'down', network: { reachability: 'unreachable', reason: 'every uplink is down', causeSwitchIds: ['sw-1'] } }, 'unreachable'],
      [{ health: 'ok', network: { reachability: 'unreachable', reason: null, causeSwitchIds: [] } }, 'ok'],
      [{ role: 'maintenance', health: 'down', network: { reachability: 'unreachable', reason: null, causeSwitchIds: [] } }, 'maintenance'],
    ];
    for (const [over, expected] of table) assert.equal(displayState(view(over)), expected, JSON.stringify(over));
  });
});
