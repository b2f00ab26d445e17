import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostView } from '../../../../main/core/api';
import type { FailoverOperation } from '../../../../main/core/failover/failover-contract';
import { consoleMetricsText, type ConsoleMetricsSnapshot } from '../../../../main/core/metrics/prometheus-text';

const NOW = 1_700_000_000_000;

function host(id: string, patch: Partial<HostView> = {}): HostView {
  return {
    id, name: id, address: '127.0.0.2:7411', kind: 'transcoder', role: 'main', group: 'default', health: 'ok', healthSince: NOW - 4000,
    healthReason: null, link: 'connected', linkError: null, agentVersion: '0.1.0', agentRoles: ['system'], lastHeartbeatAt: NOW - 250,
    system: null, fencePending: false, ...patch,
  };
}

function op(patch: Partial<FailoverOperation>): FailoverOperation {
  return {
    id: 'op', kind: 'automatic', operator: null, fromHostId: 'a', fromHostName: 'a', toHostId: 'b', toHostName: 'b', triggeredAt: NOW - 6000,
    startedAt: NOW - 5000, finishedAt: NOW - 1000, state: 'done', channels: [], steps: [], fencedAt: null, doubleBroadcastMs: null, ...patch,
  };
}

const snapshot = (patch: Partial<ConsoleMetricsSnapshot> = {}): ConsoleMetricsSnapshot => ({
  nowMs: NOW, uptimeSeconds: 60, hosts: [host('tc-1'), host('tc "2"', { health: 'down', link: 'disconnected', lastHeartbeatAt: null })],
  operations: [op({ id: 'old', startedAt: NOW - 90_000, finishedAt: NOW - 80_000 }), op({}), op({ id: 'now', state: 'running', finishedAt: null, startedAt: NOW })],
  openAlerts: [{ severity: 'critical' }, { severity: 'critical' }, { severity: 'minor' }],
  journalEntries: { info: 5, warning: 1 },
  eventLoopLag: { p50Seconds: 0.01, p99Seconds: 0.02, maxSeconds: 0.05 },
  network: null, origins: null, archive: null, findings: null, cluster: null,
  ...patch,
});
const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

describe('console metrics text', () => {
  it('names every family tally_…, counters with _total, gauges without', () => {
    const text = consoleMetricsText(snapshot());
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
    assert.ok(types.some((t) => t.type === 'counter') && types.some((t) => t.type === 'gauge'));
    for (const { name, type } of types) {
      assert.match(name, /^tally_[a-z0-9_]+$/);
      assert.equal(name.endsWith('_total'), type === 'counter', `${name} is a ${type}`);
    }
  });

  it('reports host health and link as one-hot states, with escaped host names', () => {
    const got = lines(consoleMetricsText(snapshot()));
    for (const line of [
      'tally_hosts 2',
      'tally_host_health{host_id="tc-1",host="tc-1",role="main",state="ok"} 1',
      'tally_host_health{host_id="tc-1",host="tc-1",role="main",state="down"} 0',
      'tally_host_health{host_id="tc \\"2\\"",host="tc \\"2\\"",role="main",state="down"} 1',
      'tally_host_link{host_id="tc-1",host="tc-1",role="main",state="connected"} 1',
      'tally_host_heartbeat_age_seconds{host_id="tc-1",host="tc-1",role="main"} 0.25',
    ]) assert.ok(got.includes(line), `missing: ${line}`);
    assert.ok(!got.some((l) => l.startsWith('tally_host_heartbeat_age_seconds{host_id="tc \\"2\\"')), 'no heartbeat yet: left out');
  });

  it('says whether this console leads and automates, and how long its etcd lease has left', () => {
    const cluster = { mode: 'etcd' as const, self: 'desk-2', leader: 'desk-1', isLeader: false, automating: false, leaseTtlSec: 5, leaseLeftMs: 3500, etcd: { endpoint: 'http://10.0.0.5:2379', reachable: true, error: null }, since: NOW };
    const got = lines(consoleMetricsText(snapshot({ cluster })));
    for (const line of [
      'tally_console_leader{console="desk-2",mode="etcd"} 0',
      'tally_console_automating{console="desk-2",mode="etcd"} 0',
      'tally_console_etcd_reachable{console="desk-2",endpoint="http://10.0.0.5:2379"} 1',
      'tally_console_lease_remaining_seconds{console="desk-2"} 3.5',
    ]) assert.ok(got.includes(line), `missing: ${line}`);
    const single = lines(consoleMetricsText(snapshot({ cluster: { ...cluster, mode: 'single', self: 'this console', leader: 'this console', isLeader: true, automating: true, leaseTtlSec: null, leaseLeftMs: null, etcd: null } })));
    assert.ok(single.includes('tally_console_automating{console="this console",mode="single"} 1'));
    assert.ok(!single.some((l) => l.startsWith('tally_console_etcd_reachable') || l.startsWith('tally_console_lease_remaining_seconds')), 'no etcd figures without etcd');
  });

  it('reports failover counts and the newest finished operation timings', () => {
    const got = lines(consoleMetricsText(snapshot()));
    for (const line of [
      'tally_failover_operations{kind="automatic",state="done"} 2',
      'tally_failover_operations{kind="automatic",state="running"} 1',
      'tally_failover_operations{kind="manual",state="done"} 0',
      'tally_failover_last_duration_seconds{kind="automatic"} 4',
      'tally_failover_last_trigger_to_finish_seconds{kind="automatic"} 5',
    ]) assert.ok(got.includes(line), `missing: ${line}`);
    assert.ok(!got.some((l) => l.startsWith('tally_failover_last_duration_seconds{kind="manual"}')));
  });

  it('reports alerts by severity, journal entries and event-loop lag', () => {
    const got = lines(consoleMetricsText(snapshot()));
    for (const line of [
      'tally_alerts_open{severity="critical"} 2',
      'tally_alerts_open{severity="major"} 0',
      'tally_journal_entries_total{severity="info"} 5',
      'tally_journal_entries_total{severity="critical"} 0',
      'tally_console_event_loop_lag_p99_seconds 0.02',
      'tally_console_uptime_seconds 60',
    ]) assert.ok(got.includes(line), `missing: ${line}`);
    const blind = consoleMetricsText(snapshot({ openAlerts: null, eventLoopLag: null }));
    assert.ok(!blind.includes('tally_alerts_open') && !blind.includes('event_loop_lag'), 'unknown figures are left out, not zero');
  });
});
