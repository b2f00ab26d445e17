import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Finding } from '../../../../main/core/findings/finding';
import { alertParents, dependencyTree, type Reachability, type TreeHost } from '../../../../main/core/network/dependency-tree';
import type { HostUplink } from '../../../../main/core/network/switch-spec';
import type { PortView, SwitchState, SwitchView } from '../../../../main/core/network/switch-view';

function port(ifIndex: number, oper: PortView['oper'], admin: PortView['admin'] = 'up'): PortView {
  return {
    ifIndex, name: `Gi1/0/${ifIndex}`, descr: null, alias: null, speedBps: null, admin, oper, operChangedAt: null,
    inBps: null, outBps: null, inErrorsPerSec: null, outErrorsPerSec: null, inDiscardsPerSec: null, outDiscardsPerSec: null,
  };
}

function sw(id: string, state: SwitchState, ports: PortView[] = []): SwitchView {
  return {
    id, name: id, address: '10.0.0.1', state, stateSince: 0, error: state === 'snmp-silent' ? 'answers ping but not SNMP' : null,
    sysName: null, uptimeSec: null, lastRestartAt: null, polledAt: null, rttMs: null, ports,
  };
}

const host = (id: string, lost = false): TreeHost => ({ id, name: id, lost });
const link = (hostId: string, switchId: string, p: number | string): HostUplink => ({ hostId, switchId, port: p });

describe('dependency tree', () => {
  const table: [string, TreeHost, SwitchView[], HostUplink[], Reachability][] = [
    ['one uplink up', host('a'), [sw('s1', 'up', [port(1, 'up')])], [link('a', 's1', 1)], 'reachable'],
    ['lost, its only port down: unreachable', host('a', true), [sw('s1', 'up', [port(1, 'down')])], [link('a', 's1', 1)], 'unreachable'],
    ['lost, its switch dead: unreachable', host('a', true), [sw('s1', 'unreachable')], [link('a', 's1', 1)], 'unreachable'],
    ['lost but a port is up: it is really down, not unreachable', host('a', true), [sw('s1', 'up', [port(1, 'up')])], [link('a', 's1', 1)], 'reachable'],
    [
      'lost, dual-homed, one switch dead and the other port down: unreachable',
      host('a', true),
      [sw('s1', 'unreachable'), sw('s2', 'up', [port(7, 'lowerLayerDown')])],
      [link('a', 's1', 1), link('a', 's2', 7)],
      'unreachable',
    ],
    ['dual-homed, one uplink lost: degraded', host('a'), [sw('s1', 'unreachable'), sw('s2', 'up', [port(7, 'up')])], [link('a', 's1', 1), link('a', 's2', 7)], 'degraded'],
    ['lost, its switch SNMP-silent: cannot tell', host('a', true), [sw('s1', 'snmp-silent', [port(1, 'up')])], [link('a', 's1', 1)], 'unknown'],
    ['lost, its port not found on the switch: cannot tell', host('a', true), [sw('s1', 'up', [port(1, 'down')])], [link('a', 's1', 'Gi9/9')], 'unknown'],
    ['no uplinks recorded', host('a', true), [], [], 'unlinked'],
    ['answers although every uplink is down: the inventory is wrong', host('a'), [sw('s1', 'up', [port(1, 'down')])], [link('a', 's1', 1)], 'reachable'],
  ];
  for (const [what, h, switches, uplinks, reachability] of table) {
    it(what, () => {
      const verdict = dependencyTree([h], switches, uplinks);
      assert.equal(verdict.hosts.get(h.id)?.reachability, reachability);
      for (const f of verdict.findings) Finding.parse(f);
    });
  }

  it('folds every unreachable host behind a dead switch under one root-cause finding', () => {
    const hosts = [host('tc-1', true), host('tc-2', true), host('other', true)];
    const switches = [sw('core-1', 'unreachable'), sw('core-2', 'up', [port(1, 'up')])];
    const uplinks = [link('tc-1', 'core-1', 1), link('tc-2', 'core-1', 2), link('other', 'core-2', 1)];
    const { findings, hosts: verdicts } = dependencyTree(hosts, switches, uplinks);
    assert.deepEqual(findings.map((f) => f.key), ['switch:core-1:down']);
    const [root] = findings;
    assert.equal(root?.severity, 'critical');
    assert.equal(root?.hostDown, true);
    assert.deepEqual(root?.related, ['tc-1', 'tc-2']);
    assert.match(root?.summary ?? '', /core-1 is unreachable; 2 hosts behind it unreachable: tc-1, tc-2/);
    assert.deepEqual(verdicts.get('tc-1')?.causes, ['core-1']);
    assert.equal(verdicts.get('other')?.reachability, 'reachable', 'lost with its port up: really down, the health alert stands');
  });

  it('a dead switch whose hosts still answer has lost its management, not its forwarding', () => {
    const { findings, hosts } = dependencyTree([host('tc-3')], [sw('core-1', 'unreachable')], [link('tc-3', 'core-1', 3)]);
    assert.equal(hosts.get('tc-3')?.reachability, 'reachable');
    assert.deepEqual(findings.map((f) => [f.key, f.severity]), [['switch:core-1:down', 'major']]);
    assert.match(findings[0]!.summary, /tc-3 behind it still answers, so it may still forward traffic/);
  });

  it('names the ports when hosts are cut off on a switch that is up', () => {
    const { findings } = dependencyTree([host('tc-1', true)], [sw('core-2', 'up', [port(4, 'down', 'down')])], [link('tc-1', 'core-2', 4)]);
    assert.deepEqual(findings.map((f) => [f.key, f.severity, f.hostDown]), [['switch:core-2:uplinks-down', 'major', false]]);
    assert.match(findings[0]!.summary, /every uplink of tc-1 is down \(tc-1 on core-2 Gi1\/0\/4\)/);
  });

  it('reports lost redundancy, an SNMP-silent switch, and uplinks the switch does not have', () => {
    const { findings } = dependencyTree(
      [host('a'), host('b')],
      [sw('s1', 'up', [port(1, 'down'), port(2, 'up')]), sw('s2', 'up', [port(7, 'up')]), sw('s3', 'snmp-silent')],
      [link('a', 's1', 1), link('a', 's2', 7), link('b', 's1', 'Gi1/0/99'), link('b', 's1', 2)],
    );
    assert.deepEqual(findings.map((f) => [f.key, f.kind, f.severity]), [
      ['host:a:uplinks', 'host.uplink-lost', 'minor'],
      ['host:b:uplink:s1:Gi1/0/99', 'network.inventory', 'warning'],
      ['switch:s3:snmp', 'switch.snmp', 'major'],
    ]);
  });

  it('gives the alert engine each host\'s switches as its parents', () => {
    assert.deepEqual(alertParents([link('a', 's1', 1), link('a', 's2', 7), link('a', 's1', 2), link('b', 's2', 3)]), { a: ['s1', 's2'], b: ['s2'] });
  });
});
