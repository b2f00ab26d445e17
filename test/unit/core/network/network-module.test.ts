import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { displayState } from '../../../../main/core/api';
import type { FindingAlertEvent } from '../../../../main/core/findings/finding-alerts';
import { createFindingsModule } from '../../../../main/core/findings/findings-module';
import { NewSwitch } from '../../../../main/core/network/network-contract';
import { createNetworkModule, NETWORK_FINDINGS_WARMUP_MS } from '../../../../main/core/network/network-module';
import { SWITCHES_KEY, UPLINKS_KEY } from '../../../../main/core/network/switch-inventory';
import type { OriginMatrix } from '../../../../main/core/origins/matrix-view';
import { moduleHarness, operator } from '../module-harness';
import { fakeSwitch } from './fake-switch';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const COMMUNITY = 'very-secret-community';
const SWITCH = NewSwitch.parse({ name: 'core-1', address: '127.0.0.1', community: COMMUNITY, pollMs: 1000, timeoutMs: 300, retries: 0 });

function plant(stored: Record<string, unknown> = {}) {
  const h = moduleHarness(stored);
  cleanups.push(h.cleanup);
  const sw = fakeSwitch(h.clock, {
    address: '127.0.0.1',
    community: COMMUNITY,
    sysName: 'core-1',
    ports: ['eth1', 'eth2', 'eth3', 'eth4', 'eth5'].map((name, i) => ({ ifIndex: i + 1, name, oper: 'up', admin: 'up', bps: 8_000_000 * (i + 1) })),
  });
  const alertEvents: FindingAlertEvent[] = [];
  const findings = createFindingsModule(h.ctx, { alerts: (e) => void alertEvents.push(e) });
  let matrix: OriginMatrix = { origins: [], streams: [] };
  const net = createNetworkModule(h.ctx, { findings, originMatrix: () => matrix, connect: sw.connect, ping: sw.ping });
  const tc1 = h.addHost({ name: 'tc-1', ip: '127.0.0.2', group: 'tc', role: 'main' });
  const reserve = h.addHost({ name: 'tc-reserve', ip: '127.0.0.4', group: 'tc', role: 'reserve' });
  const o1 = h.addHost({ name: 'origin-1', ip: '127.0.0.5', kind: 'origin' });
  const o2 = h.addHost({ name: 'origin-2', ip: '127.0.0.8', kind: 'origin' });
  const silent = new Set<string>();
  const run = (ms: number) =>
    h.advance(ms, (now) => {
      if (now % 500 === 0) for (const id of [tc1, reserve, o1, o2]) if (!silent.has(id)) h.beat(id);
    });
  findings.start?.();
  net.start?.();
  const setMatrix = (m: OriginMatrix) => void (matrix = m);
  const overview = () => net.queries['network.overview']({}, operator);
  const list = () => findings.queries['findings.list']({}, operator);
  return { ...h, sw, net, findings, alertEvents, tc1, reserve, o1, o2, silent, run, setMatrix, overview, list };
}

async function withSwitch(stored: Record<string, unknown> = {}) {
  const p = plant(stored);
  const added = await p.net.commands['switch.add'](SWITCH, operator);
  await p.net.commands['host.uplinks.set']({ hostId: p.tc1, uplinks: [{ switchId: added.id, port: 'eth1' }, { switchId: added.id, port: 2 }] }, operator);
  await p.net.commands['host.uplinks.set']({ hostId: p.reserve, uplinks: [{ switchId: added.id, port: 'eth3' }] }, operator);
  await p.run(2500);
  return { ...p, switchId: added.id };
}

describe('network module: switches and uplinks', () => {
  it('adds a switch, polls it on its own schedule and shows its ports — never its community', async () => {
    const p = await withSwitch();
    assert.equal(p.switchId, 'core-1', 'the id is made from the name');
    const { switches } = await p.overview();
    const sw = switches[0]!;
    assert.equal(sw.view.state, 'up');
    assert.equal(sw.view.sysName, 'core-1');
    assert.deepEqual(sw.view.ports.map((x) => [x.name, x.oper, x.admin]), [['eth1', 'up', 'up'], ['eth2', 'up', 'up'], ['eth3', 'up', 'up'], ['eth4', 'up', 'up'], ['eth5', 'up', 'up']]);
    assert.equal(sw.view.ports[0]!.inBps, 8_000_000, 'a rate from two polls of the HC counters');
    assert.deepEqual(sw.uplinks.map((u) => [u.hostName, u.port, u.state, u.label]), [['tc-1', 'eth1', 'up', 'core-1 eth1'], ['tc-1', 2, 'up', 'core-1 eth2'], ['tc-reserve', 'eth3', 'up', 'core-1 eth3']]);
    assert.ok(p.sw.state.sessions >= 3, `polled every second (${p.sw.state.sessions} sessions)`);
    assert.equal((p.store.data[SWITCHES_KEY] as { community: string }[])[0]!.community, COMMUNITY, 'the store keeps it');
    for (const [what, text] of [
      ['overview', JSON.stringify(await p.overview())],
      ['events', JSON.stringify(p.events)],
      ['journal', JSON.stringify(p.journal.recent(500))],
      ['host views', JSON.stringify(p.fleet.views())],
    ]) assert.ok(!text!.includes(COMMUNITY), `the community is not in the ${what}`);
    assert.ok(p.eventsOf('network.changed').length > 0);
    assert.equal(p.fleet.view(p.tc1)?.network?.reachability, 'reachable');
    assert.equal(p.fleet.view(p.o1)?.network, undefined, 'no uplinks on record: no verdict');
  });

  it('keeps bounded, downsampled traffic per port', async () => {
    const p = await withSwitch();
    await p.run(30_000);
    const { ports } = await p.net.queries['switch.traffic']({ switchId: p.switchId, maxPoints: 10 }, operator);
    assert.equal(ports.length, 5);
    const eth2 = ports.find((x) => x.ifIndex === 2)!;
    assert.equal(eth2.points.length, 10, 'downsampled to maxPoints');
    assert.ok(eth2.points.every(([, inBps, outBps]) => inBps === 16_000_000 && outBps === 16_000_000), JSON.stringify(eth2.points));
    const one = await p.net.queries['switch.traffic']({ switchId: p.switchId, ifIndex: 1, maxPoints: 120 }, operator);
    assert.deepEqual(one.ports.map((x) => x.ifIndex), [1]);
    await assert.rejects(p.net.queries['switch.traffic']({ switchId: 'nope', maxPoints: 10 }, operator), /no switch with id nope/);
  });

  it('edits and removes switches and uplinks, journalled by name, and saved', async () => {
    const p = await withSwitch();
    const edited = await p.net.commands['switch.update']({ id: p.switchId, patch: { pollMs: 2000 } }, operator);
    assert.equal(edited.pollMs, 2000);
    assert.equal(edited.timeoutMs, 300, 'a patch changes only what it names');
    await assert.rejects(p.net.commands['switch.add']({ ...SWITCH, name: 'core-1' }, operator), /already exists/);
    await assert.rejects(p.net.commands['host.uplinks.set']({ hostId: p.o1, uplinks: [{ switchId: 'nope', port: 1 }] }, operator), /no switch with id nope/);
    await assert.rejects(p.net.commands['host.uplinks.set']({ hostId: p.o1, uplinks: [{ switchId: p.switchId, port: 'eth4' }, { switchId: p.switchId, port: 'ETH4' }] }, operator), /listed twice/);
    const removed = await p.net.commands['switch.remove']({ id: p.switchId }, operator);
    assert.deepEqual(removed, { removed: 'core-1', uplinksRemoved: 3 });
    assert.deepEqual(p.store.data[SWITCHES_KEY], []);
    assert.deepEqual(p.store.data[UPLINKS_KEY], []);
    const messages = p.journal.recent(200).filter((e) => e.kind.startsWith('switch.') || e.kind === 'host.uplinks').map((e) => e.message);
    assert.ok(messages.includes('ana added switch core-1 (127.0.0.1:161, polled every 1 s)'), messages.join('\n'));
    assert.ok(messages.includes('ana set the uplinks of tc-1: tc-1 → core-1 eth1, tc-1 → core-1 2'));
    assert.ok(messages.includes('ana changed pollMs of switch core-1'));
    assert.ok(messages.includes('ana removed switch core-1 (127.0.0.1); 3 uplink(s) removed with it (tc-1 → core-1 eth1, tc-1 → core-1 2, tc-reserve → core-1 eth3)'));
    assert.equal(p.fleet.view(p.tc1)?.network, undefined);
  });

  it('journals switch events: an uplink port going down names its host', async () => {
    const p = await withSwitch();
    p.sw.port('eth1').oper = 'down';
    await p.run(1500);
    const entry = p.journal.recent(100).find((e) => e.kind === 'switch.port');
    assert.equal(entry?.severity, 'warning');
    assert.match(entry?.message ?? '', /^core-1 port eth1 is down \(was up\) — uplink of tc-1$/);
    assert.equal(p.fleet.view(p.tc1)?.network?.reachability, 'degraded');
    assert.match(p.fleet.view(p.tc1)?.network?.reason ?? '', /1 of 2 uplinks down: core-1 eth1 is down/);
  });

  it('shows a wrong community as a switch state with its fix', async () => {
    const p = await withSwitch();
    await p.net.commands['switch.update']({ id: p.switchId, patch: { community: 'wrong' } }, operator);
    await p.run(1500);
    const { switches } = await p.overview();
    assert.equal(switches[0]!.view.state, 'snmp-silent');
    const f = (await p.list()).find((x) => x.key === 'switch:core-1:snmp');
    assert.match(f?.fix ?? '', /community/);
    assert.ok(p.journal.recent(50).some((e) => e.kind === 'switch.state' && e.severity === 'major'));
  });
});

describe('network module: unreachable hosts and root cause', () => {
  it('a silent host whose every uplink is down is unreachable, under one root-cause finding on the switch', async () => {
    const p = await withSwitch();
    p.sw.port('eth1').oper = 'down';
    p.sw.port('eth2').oper = 'down';
    p.silent.add(p.tc1);
    await p.run(4000);
    const view = p.fleet.view(p.tc1)!;
    assert.equal(view.health, 'down', 'the detector still says what it saw');
    assert.equal(view.network?.reachability, 'unreachable');
    assert.deepEqual(view.network?.causeSwitchIds, ['core-1']);
    assert.equal(displayState(view), 'unreachable');
    assert.equal(p.net.isUnreachable(p.tc1), true);
    assert.equal(p.net.isUnreachable(p.reserve), false);
    const network = (await p.list()).filter((f) => f.source === 'network' && !f.key.startsWith('spof:'));
    assert.deepEqual(network.map((f) => [f.key, f.hostId, f.related]), [['switch:core-1:uplinks-down', 'core-1', [p.tc1]]], 'one finding, on the switch');
    assert.ok(p.eventsOf('hosts.changed').some((e) => e.payload.hosts.some((h) => h.id === p.tc1 && h.network?.reachability === 'unreachable')));
  });

  it('a dead switch makes every silent host behind it unreachable: one critical root cause, hosts folded', async () => {
    const p = await withSwitch();
    await p.net.commands['host.uplinks.set']({ hostId: p.o1, uplinks: [{ switchId: p.switchId, port: 'eth4' }] }, operator);
    p.sw.state.snmpAnswers = false;
    p.sw.state.pingAlive = false;
    for (const id of [p.tc1, p.reserve]) p.silent.add(id);
    await p.run(4000);
    assert.equal((await p.overview()).switches[0]!.view.state, 'unreachable');
    for (const id of [p.tc1, p.reserve]) assert.equal(p.fleet.view(id)?.network?.reachability, 'unreachable');
    assert.equal(p.fleet.view(p.o1)?.network?.reachability, 'reachable', 'a host still heard is not unreachable');
    const roots = (await p.list()).filter((f) => f.kind === 'switch.down');
    assert.equal(roots.length, 1);
    assert.equal(roots[0]!.severity, 'critical');
    assert.equal(roots[0]!.hostDown, true);
    assert.deepEqual([...roots[0]!.related].sort(), [p.tc1, p.reserve].sort());
    assert.match(roots[0]!.summary, /^Switch core-1 is unreachable; 2 hosts behind it unreachable: tc-1, tc-reserve; origin-1 behind it still answers/);
    assert.ok(p.alertEvents.some((e) => e.type === 'raise' && e.key === 'switch:core-1:down' && e.hostDown));
    const topology = p.alertEvents.filter((e) => e.type === 'topology').at(-1);
    assert.deepEqual(topology?.type === 'topology' && topology.parents[p.tc1], ['core-1'], 'the alert engine folds tc-1 under core-1');
    assert.ok(p.journal.recent(100).some((e) => e.kind === 'switch.state' && e.severity === 'critical'));
    assert.equal(await p.net.confirmUnreachable(p.tc1), true);
  });

  it('a silent host with a live uplink is simply down (failover may go ahead)', async () => {
    const p = await withSwitch();
    p.silent.add(p.tc1);
    await p.run(4000);
    assert.equal(p.fleet.view(p.tc1)?.health, 'down');
    assert.equal(p.net.isUnreachable(p.tc1), false);
    assert.equal(displayState(p.fleet.view(p.tc1)!), 'down');
  });
});

describe('network module: single points of failure', () => {
  it('advises when a main and its reserve, or the two origins of a stream, hang off one switch — with the fix', async () => {
    const p = await withSwitch();
    await p.net.commands['host.uplinks.set']({ hostId: p.o1, uplinks: [{ switchId: p.switchId, port: 'eth4' }] }, operator);
    await p.net.commands['host.uplinks.set']({ hostId: p.o2, uplinks: [{ switchId: p.switchId, port: 'eth5' }] }, operator);
    p.setMatrix({
      origins: [p.o1, p.o2].map((hostId, i) => ({ hostId, hostName: `origin-${i + 1}`, server: 'nginx-rtmp' as const, state: 'ok' as const, error: null, publishingCount: 1, truncated: false })),
      streams: [{ key: 'live/news', app: 'live', name: 'news', cells: {}, liveOn: [p.o1, p.o2], clients: 0, video: null, audio: null, expected: false }],
    });
    await p.run(1500);
    const { advisories } = await p.overview();
    assert.deepEqual(advisories.map((a) => [a.key, a.fix]), [
      [`spof:main-reserve:${p.tc1}`, 'Move tc-reserve to another switch.'],
      ['spof:stream-origins:live/news', 'Move origin-2 to another switch.'],
    ]);
    assert.match(advisories[0]!.summary, /tc-1 and its reserve tc-reserve are behind the same switch core-1/);
    assert.ok((await p.list()).some((f) => f.key === 'spof:stream-origins:live/news' && f.severity === 'warning'));
    const extra = [{ key: 'archive:live/news', kind: 'archive-replicas' as const, label: 'live/news', members: [{ id: p.o1, name: 'origin-1' }, { id: p.o2, name: 'origin-2' }] }];
    p.net.addRedundancyGroups(() => extra);
    p.net.refresh();
    assert.ok((await p.overview()).advisories.some((a) => a.key === 'spof:archive:live/news'), 'archive groups can be added later');
  });
});

describe('network module: what it keeps', () => {
  it('reports invalid stored entries, uses the rest and keeps the rejected value aside', async () => {
    const good = { id: 'sw-a', name: 'sw-a', address: '127.0.0.1', community: COMMUNITY };
    const p = plant({ [SWITCHES_KEY]: [good, { id: 'sw-b', name: 'sw-b', address: '-rf', community: '' }], [UPLINKS_KEY]: 'not a list' });
    const { switches, storeProblem } = await p.overview();
    assert.deepEqual(switches.map((s) => s.id), ['sw-a']);
    assert.match(storeProblem ?? '', /1 of 2 entries of "network.switches" in \(memory\) are invalid \(#2: /);
    assert.match(storeProblem ?? '', /"network.uplinks" in \(memory\) is not a list/);
    assert.equal((p.store.data[`${SWITCHES_KEY}.rejected`] as unknown[]).length, 2);
    assert.equal(p.store.data[`${UPLINKS_KEY}.rejected`], 'not a list');
    assert.ok(p.journal.recent(10).some((e) => e.kind === 'network.store-invalid' && e.severity === 'major'));
    await p.run(NETWORK_FINDINGS_WARMUP_MS);
    assert.ok((await p.list()).some((f) => f.key === 'network:store'));
  });

  it('forgets the uplinks of a host removed from the inventory', async () => {
    const p = await withSwitch();
    p.silent.add(p.reserve);
    p.inventory.remove(p.reserve);
    p.fleet.detach(p.reserve);
    await p.run(1500);
    assert.deepEqual((p.store.data[UPLINKS_KEY] as { hostId: string }[]).map((u) => u.hostId), [p.tc1, p.tc1]);
    assert.ok(p.journal.recent(50).some((e) => e.kind === 'network.uplinks-dropped'));
  });
});
