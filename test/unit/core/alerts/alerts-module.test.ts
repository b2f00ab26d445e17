/**
 * The alerts module inside the real console with a fake clock and agent links under the test's control: a host
 * going down becomes an alert, a notification and the alarm; operators acknowledge, silence and mute; the state
 * survives a restart and a damaged stored state is reported, not dropped; the shift calls build and sign the report.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type AgentMessage, PROTOCOL_VERSION } from '../../../../agents/protocol';
import type { CallContext, TallyEvent } from '../../../../main/core/api';
import { FakeClock } from '../../../../main/core/clock';
import { createConsole } from '../../../../main/core/console';
import { ApiError } from '../../../../main/core/dispatch';
import type { AgentConnector, LinkHandlers } from '../../../../main/core/fleet/agent-link';
import type { KeyValueStore } from '../../../../main/core/store/store';
import { memoryStore } from '../../../helpers/memory-store';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const ana: CallContext = { access: 'operator', operator: 'Ana', transport: 'http' };
const ben: CallContext = { access: 'operator', operator: 'Ben', transport: 'http' };
const ADDRESS = '127.0.0.2:7411';

function harness(opts: { store?: KeyValueStore & { data: Record<string, unknown> }; dataDir?: string; clock?: FakeClock } = {}) {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'tally-alerts-'));
  dirs.push(dataDir);
  const store = opts.store ?? memoryStore();
  const clock = opts.clock ?? new FakeClock();
  const links = new Map<string, LinkHandlers>();
  const connect: AgentConnector = (target, handlers) => {
    links.set(target.address, handlers);
    return { state: 'connecting', close: () => void links.delete(target.address), send: () => true, request: async () => ({}) as never };
  };
  const engine = createConsole({ store, dataDir, clock, connect, proberPorts: { checkApi: async () => 'fail', ping: async () => 'fail' } });
  const events: TallyEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(Math.min(100, ms - t));
      await new Promise((r) => setImmediate(r));
    }
  };
  let seq = 0;
  const hello: AgentMessage = { type: 'hello', protocol: PROTOCOL_VERSION, agentId: 'a', version: '0.1.0', roles: ['system'], epoch: 'e', heartbeatMs: 500 };
  /** The agent connects and beats for a while: the host is ok. */
  const live = async (ms = 2000) => {
    const link = links.get(ADDRESS)!;
    link.onState('connected', null);
    link.onMessage(hello, clock.now());
    for (let t = 0; t < ms; t += 500) {
      await advance(500);
      link.onMessage({ type: 'heartbeat', seq: seq++, sentAt: 0, status: {}, events: [] }, clock.now());
    }
  };
  const q = engine.handlers.queries;
  const c = engine.handlers.commands;
  const ofType = <K extends TallyEvent['type']>(type: K) => events.filter((e): e is Extract<TallyEvent, { type: K }> => e.type === type);
  return { engine, store, clock, dataDir, links, events, advance, live, q, c, ofType };
}

async function hostGoesDown(h: ReturnType<typeof harness>) {
  h.engine.start();
  const host = await h.c['host.add']({ name: 'tc-1', address: ADDRESS, token: 't'.repeat(16), kind: 'transcoder', role: 'main', group: '' }, ana);
  await h.live();
  assert.equal(h.engine.hostView(host.id)?.health, 'ok');
  await h.advance(4000);
  assert.equal(h.engine.hostView(host.id)?.health, 'down');
  return host;
}

describe('alerts module', () => {
  it('turns a dead host into a critical alert, a notification and the alarm; an acknowledgement silences the alarm', async () => {
    const h = harness();
    const host = await hostGoesDown(h);
    const list = await h.q['alerts.list']({ resolvedLimit: 10 }, ana);
    assert.equal(list.open.length, 1);
    const alert = list.open[0]!;
    assert.equal(alert.severity, 'critical');
    assert.equal(alert.hostId, host.id);
    assert.equal(alert.summary, 'tc-1 is down');
    assert.equal(list.unacknowledged, 1);
    assert.deepEqual(h.ofType('alert.notify').map((e) => e.payload.alertId), [alert.id], 'one notification, not one per tick');
    assert.equal((await h.q['alarm.get']({}, ana)).sounding, true);
    assert.equal(h.ofType('alarm.changed').at(-1)?.payload.sounding, true);

    const acked = await h.c['alert.ack']({ id: alert.id, comment: 'looking at the PSU' }, ana);
    assert.equal(acked.status, 'acknowledged');
    assert.deepEqual(acked.ack && { by: acked.ack.by, comment: acked.ack.comment }, { by: 'Ana', comment: 'looking at the PSU' });
    assert.equal((await h.q['alarm.get']({}, ana)).sounding, false);
    assert.equal(h.ofType('alarm.changed').at(-1)?.payload.sounding, false);
    assert.equal(h.ofType('alerts.changed').at(-1)?.payload.unacknowledged, 0);
    const ackEntry = h.engine.journal.recent(100).find((e) => e.kind === 'alert.acknowledged');
    assert.equal(ackEntry?.operator, 'Ana');
    assert.match(ackEntry?.message ?? '', /Ana acknowledged "tc-1 is down": looking at the PSU/);

    await assert.rejects(h.c['alert.ack']({ id: alert.id, comment: '' }, ben), (err: ApiError) => err.code === 'conflict' && /already acknowledged by Ana/.test(err.message));
    await assert.rejects(h.c['alert.ack']({ id: 'a-nope', comment: '' }, ben), (err: ApiError) => err.code === 'not-found');
    const refused = h.engine.journal.recent(100).filter((e) => e.kind === 'alert.command-refused');
    assert.equal(refused.length, 2, 'refused commands are journalled');
    assert.equal(refused[0]?.operator, 'Ben');

    await h.live(1000);
    const after = await h.q['alerts.list']({ resolvedLimit: 10 }, ana);
    assert.equal(after.open.length, 0, 'the host came back: the alert resolved itself');
    assert.equal(after.resolved[0]?.id, alert.id);
    assert.equal(after.resolved[0]?.resolveReason, 'cleared');
    await h.engine.stop();
  });

  it('silences by matcher until expiry, and says so in the journal', async () => {
    const h = harness();
    h.engine.start();
    const host = await h.c['host.add']({ name: 'tc-1', address: ADDRESS, token: 't'.repeat(16), kind: 'transcoder', role: 'main', group: '' }, ana);
    const silence = await h.c['silence.add']({ matcher: { hostId: host.id }, durationMs: 10 * 60_000, comment: 'PSU swap' }, ana);
    assert.equal(silence.createdBy, 'Ana');
    assert.deepEqual(h.ofType('silences.changed').at(-1)?.payload.silences.map((s) => s.id), [silence.id]);
    await h.live();
    await h.advance(4000);
    const [alert] = (await h.q['alerts.list']({ resolvedLimit: 0 }, ana)).open;
    assert.deepEqual(alert?.suppressedBy, { reason: 'silence', silenceId: silence.id });
    assert.equal(h.ofType('alert.notify').length, 0, 'a silenced alert notifies nobody');
    assert.equal((await h.q['alarm.get']({}, ana)).sounding, false);

    await h.advance(10 * 60_000);
    assert.deepEqual(await h.q['silences.list']({}, ana), []);
    assert.ok(h.engine.journal.recent(200).some((e) => e.kind === 'silence.expired'));
    assert.equal(h.ofType('alert.notify').length, 1, 'loud again once the silence expired');
    assert.equal((await h.q['alarm.get']({}, ana)).sounding, true);
    await assert.rejects(h.c['silence.remove']({ id: silence.id }, ana), (err: ApiError) => err.code === 'not-found');
    await h.engine.stop();
  });

  it('follows role changes and removals made through the console', async () => {
    const h = harness();
    const host = await hostGoesDown(h);
    await h.c['host.update']({ id: host.id, patch: { role: 'maintenance' } }, ana);
    await h.advance(1000);
    let [alert] = (await h.q['alerts.list']({ resolvedLimit: 0 }, ana)).open;
    assert.deepEqual(alert?.suppressedBy, { reason: 'maintenance', hostId: host.id });
    assert.equal((await h.q['alarm.get']({}, ana)).sounding, false, 'a host in maintenance does not sound the alarm');

    await h.c['host.remove']({ id: host.id }, ana);
    await h.advance(1000);
    const list = await h.q['alerts.list']({ resolvedLimit: 5 }, ana);
    assert.equal(list.open.length, 0);
    [alert] = list.resolved;
    assert.equal(alert?.resolveReason, 'host-removed');
    await h.engine.stop();
  });

  it('raises one console alert, not one per host, when the whole fleet goes silent at once', async () => {
    const h = harness();
    h.engine.start();
    const addresses = ['127.0.0.2:7411', '127.0.0.3:7411', '127.0.0.4:7411', '127.0.0.5:7411'];
    for (const [i, address] of addresses.entries()) {
      await h.c['host.add']({ name: `tc-${i + 1}`, address, token: 't'.repeat(16), kind: 'transcoder', role: 'main', group: '' }, ana);
    }
    let seq = 0;
    const beatAll = () => {
      for (const address of addresses) h.links.get(address)!.onMessage({ type: 'heartbeat', seq: seq++, sentAt: 0, status: {}, events: [] }, h.clock.now());
    };
    for (const address of addresses) h.links.get(address)!.onState('connected', null);
    for (let t = 0; t < 2000; t += 500) {
      await h.advance(500);
      beatAll();
    }
    await h.advance(2500);
    assert.equal(h.engine.fleet.fleetStatus().isolated, true);
    const open = (await h.q['alerts.list']({ resolvedLimit: 0 }, ana)).open;
    assert.deepEqual(open.map((a) => a.kind), ['console.isolated'], 'no storm of per-host alerts');
    assert.equal(open[0]?.severity, 'major');
    assert.match(open[0]?.summary ?? '', /console isolated: 4 of 4 hosts silent at once/);

    for (let t = 0; t < 2000; t += 500) {
      beatAll();
      await h.advance(500);
    }
    assert.equal(h.engine.fleet.fleetStatus().isolated, false);
    const after = await h.q['alerts.list']({ resolvedLimit: 5 }, ana);
    assert.deepEqual(after.open, [], 'the fleet is heard again: nothing was wrong with the hosts');
    assert.equal(after.resolved[0]?.kind, 'console.isolated');
    await h.engine.stop();
  });

  it('mutes the alarm and keeps the volume, both attributed', async () => {
    const h = harness();
    await hostGoesDown(h);
    const muted = await h.c['alarm.mute']({ muted: true }, ana);
    assert.deepEqual({ sounding: muted.sounding, muted: muted.muted }, { sounding: false, muted: true });
    const quiet = await h.c['alarm.volume']({ volumePct: 30 }, ben);
    assert.equal(quiet.volumePct, 30);
    assert.equal(h.ofType('alarm.changed').at(-1)?.payload.volumePct, 30);
    const unmuted = await h.c['alarm.mute']({ muted: false }, ana);
    assert.equal(unmuted.sounding, true, 'unmuting brings the alarm back while the alert is unacknowledged');
    const kinds = h.engine.journal.recent(200).filter((e) => e.operator !== null).map((e) => `${e.kind}:${e.operator}`);
    assert.ok(kinds.includes('alerts.muted:Ana') && kinds.includes('alerts.volume:Ben') && kinds.includes('alerts.unmuted:Ana'), kinds.join());
    await h.engine.stop();
  });

  it('keeps open alerts, acknowledgements, silences and the volume across a restart', async () => {
    const h = harness();
    const host = await hostGoesDown(h);
    const [alert] = (await h.q['alerts.list']({ resolvedLimit: 0 }, ana)).open;
    await h.c['alert.ack']({ id: alert!.id, comment: 'on it' }, ana);
    await h.c['silence.add']({ matcher: { kind: 'host.link' }, durationMs: 3600_000, comment: 'link work' }, ana);
    await h.c['alarm.volume']({ volumePct: 45 }, ana);
    await h.engine.stop();

    const again = harness({ store: h.store, dataDir: h.dataDir, clock: h.clock });
    const list = await again.q['alerts.list']({ resolvedLimit: 0 }, ana);
    assert.equal(list.stateProblem, null);
    assert.equal(list.open[0]?.id, alert!.id);
    assert.equal(list.open[0]?.status, 'acknowledged');
    assert.equal(list.silences.length, 1);
    assert.equal((await again.q['alarm.get']({}, ana)).volumePct, 45);
    // The host comes back after the restart: the alert from before resolves.
    again.engine.start();
    assert.ok(again.engine.hostView(host.id));
    await again.live(1500);
    assert.equal((await again.q['alerts.list']({ resolvedLimit: 0 }, ana)).open.length, 0);
    await again.engine.stop();
  });

  it('reports a damaged stored state and keeps it rather than dropping it', async () => {
    const store = memoryStore({ alerts: { version: 1, engine: { open: 'not a list' }, volumePct: 70 } });
    const h = harness({ store });
    const list = await h.q['alerts.list']({ resolvedLimit: 0 }, ana);
    assert.match(list.stateProblem ?? '', /could not be read .*open.*kept as "alerts\.unreadable\.\d+"/);
    const keptKey = Object.keys(store.data).find((k) => k.startsWith('alerts.unreadable.'));
    assert.deepEqual(store.data[keptKey!], { version: 1, engine: { open: 'not a list' }, volumePct: 70 });
    const entry = h.engine.journal.recent(10).find((e) => e.kind === 'alerts.state-unreadable');
    assert.equal(entry?.severity, 'major');
    await h.engine.stop();
  });

  it('saves changes debounced, not on every tick', async () => {
    const h = harness();
    let writes = 0;
    const set = h.store.set;
    h.store.set = (k, v) => {
      if (k === 'alerts') writes++;
      set(k, v);
    };
    await hostGoesDown(h);
    const afterDown = writes;
    assert.ok(afterDown >= 1 && afterDown <= 3, `a burst of changes is one or two writes (${afterDown})`);
    await h.advance(30_000);
    assert.equal(writes, afterDown, 'quiet ticks write nothing');
    await h.engine.stop();
  });
});

describe('the shift calls', () => {
  it('signs an operator in, attributes their acknowledgement, and builds, exports and signs off the report', async () => {
    const h = harness();
    const fromMs = h.clock.now();
    const signedIn = await h.c['session.signIn']({ name: 'Ana' }, { ...ana, operator: null });
    assert.equal(signedIn.operator, 'Ana');
    const signEntry = h.engine.journal.recent(10).find((e) => e.kind === 'operator.signin');
    assert.equal(signEntry?.operator, 'Ana');
    await hostGoesDown(h);
    const [alert] = (await h.q['alerts.list']({ resolvedLimit: 0 }, ana)).open;
    await h.c['alert.ack']({ id: alert!.id, comment: 'PSU' }, ana);
    await h.c['journal.note']({ text: 'tc-1 PSU ordered' }, ana);
    await h.live(1000);
    const toMs = h.clock.now() + 1;

    const built = await h.q['handover.build']({ fromMs, toMs }, ben);
    assert.equal(built.signed, false);
    assert.deepEqual(built.report.operators.map((o) => o.name), ['Ana']);
    const incident = built.report.incidents.find((i) => i.id === alert!.id);
    assert.equal(incident?.acks[0]?.by, 'Ana');
    assert.ok(incident?.endAtMs, 'the incident ended when the host came back');
    assert.deepEqual(built.layout.sections.map((s) => s.title).slice(0, 3), ['On shift', 'Still open', 'Incidents']);

    const md = await h.q['handover.export']({ fromMs, toMs, format: 'markdown' }, ben);
    assert.equal(md.encoding, 'utf8');
    assert.match(md.filename, /^shift-report-\d{8}-\d{4}Z-\d{8}-\d{4}Z\.md$/);
    assert.match(md.content, /tc-1 is down/);
    assert.match(md.content, /Ana at .* \("PSU"\)/);
    assert.match(md.content, /tc-1 PSU ordered/);
    const pdf = await h.q['handover.export']({ fromMs, toMs, format: 'pdf' }, ben);
    assert.equal(Buffer.from(pdf.content, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');

    const signed = await h.c['handover.signOff']({ fromMs, toMs, comment: 'taken over' }, ben);
    assert.equal(signed.report.signOff?.operator, 'Ben');
    assert.ok(h.engine.journal.recent(10).some((e) => e.kind === 'handover.signoff' && e.operator === 'Ben'));
    await assert.rejects(h.c['handover.signOff']({ fromMs, toMs, comment: '' }, ana), (err: ApiError) => err.code === 'conflict' && /already signed off by Ben/.test(err.message));
    // The signed report is frozen: later events do not change what was signed.
    await h.c['journal.note']({ text: 'after the sign-off' }, ana);
    const again = await h.q['handover.export']({ fromMs, toMs, format: 'markdown' }, ana);
    assert.match(again.filename, /-signed\.md$/);
    assert.match(again.content, /Signed off by Ben/);
    assert.doesNotMatch(again.content, /after the sign-off/);
    await h.engine.stop();
  });

  it('searches the journal by kind, severity, host and words, newest first', async () => {
    const h = harness();
    const host = await hostGoesDown(h);
    await h.c['journal.note']({ text: 'Checked the rack' }, ana);
    await h.c['journal.note']({ text: 'rack door left open' }, ben);
    const notes = await h.q['journal.search']({ kind: 'note', limit: 10 }, ana);
    assert.deepEqual(notes.entries.map((e) => e.message), ['rack door left open', 'Checked the rack']);
    const words = await h.q['journal.search']({ text: 'RACK open', limit: 10 }, ana);
    assert.deepEqual(words.entries.map((e) => e.operator), ['Ben']);
    const alerts = await h.q['journal.search']({ kind: 'alert.', hostId: host.id, limit: 10 }, ana);
    assert.ok(alerts.entries.length > 0 && alerts.entries.every((e) => e.kind.startsWith('alert.') && e.hostId === host.id));
    const critical = await h.q['journal.search']({ severity: 'critical', limit: 10 }, ana);
    assert.ok(critical.entries.every((e) => e.severity === 'critical'));
    const one = await h.q['journal.search']({ limit: 1 }, ana);
    assert.equal(one.entries.length, 1);
    assert.equal(one.truncated, true);
    await h.engine.stop();
  });
});
