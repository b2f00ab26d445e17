import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { OriginStatus } from '../../../../agents/protocol';
import type { FindingAlertEvent } from '../../../../main/core/findings/finding-alerts';
import { createFindingsModule } from '../../../../main/core/findings/findings-module';
import { createOriginsModule, ORIGIN_FINDINGS_WARMUP_MS, ORIGIN_RULES_KEY } from '../../../../main/core/origins/origins-module';
import { moduleHarness, operator } from '../module-harness';
import { stream } from './origin-reports';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function status(streams: ReturnType<typeof stream>[], over: Partial<OriginStatus> = {}): OriginStatus {
  return { server: 'nginx-rtmp', apiUrl: 'http://127.0.0.5:8080/stat', state: 'ok', error: null, polledAt: 1, streams, streamsTotal: streams.length, ...over };
}

/** Two origin hosts and a transcoder; origins report what `plan` says on every heartbeat (500 ms). */
function plant(stored: Record<string, unknown> = {}) {
  const h = moduleHarness(stored);
  cleanups.push(h.cleanup);
  const alertEvents: FindingAlertEvent[] = [];
  const findings = createFindingsModule(h.ctx, { alerts: (e) => void alertEvents.push(e) });
  const origins = createOriginsModule(h.ctx, { findings });
  const o1 = h.addHost({ name: 'origin-1', ip: '127.0.0.5', kind: 'origin' }, ['system', 'origin']);
  const o2 = h.addHost({ name: 'origin-2', ip: '127.0.0.8', kind: 'origin' }, ['system', 'origin']);
  const tc = h.addHost({ name: 'tc-1', ip: '127.0.0.2' });
  const plan = new Map<string, OriginStatus | null>([
    [o1, status([stream('live/news', { clients: 3 }), stream('live/sport', { clients: 1 })])],
    [o2, status([stream('live/news', { clients: 2 }), stream('live/music')])],
  ]);
  const silent = new Set<string>();
  const heartbeats = (now: number) => {
    if (now % 500 !== 0) return;
    for (const [id, s] of plan) if (!silent.has(id)) h.beat(id, s ? { origin: s } : {});
    if (!silent.has(tc)) h.beat(tc);
  };
  findings.start?.();
  origins.start?.();
  const run = (ms: number) => h.advance(ms, heartbeats);
  const overview = () => origins.queries['origins.overview']({}, operator);
  return { ...h, findings, origins, o1, o2, tc, plan, silent, run, overview, alertEvents };
}

describe('origins module', () => {
  it('builds the stream × origin matrix from the heartbeats, with bitrate and players per cell', async () => {
    const p = plant();
    await p.run(2000);
    const { matrix, settings } = await p.overview();
    assert.deepEqual(matrix.origins.map((o) => [o.hostName, o.state, o.publishingCount]), [['origin-1', 'ok', 2], ['origin-2', 'ok', 2]]);
    assert.deepEqual(matrix.streams.map((s) => [s.key, s.liveOn.length, s.clients]), [['live/music', 1, 0], ['live/news', 2, 5], ['live/sport', 1, 1]]);
    const news = matrix.streams.find((s) => s.key === 'live/news')!;
    assert.deepEqual(news.cells[p.o1], { publishing: true, clients: 3, bitrateInKbps: 1000, bitrateOutKbps: 0, live: true });
    assert.equal(settings.minOrigins, 2, 'hot backup by default');
    assert.equal(matrix.origins.some((o) => o.hostName === 'tc-1'), false, 'a transcoder is no origin column');
    const changed = p.eventsOf('origins.changed');
    assert.ok(changed.length >= 1 && changed.length <= 3, `matrix events are coalesced and sent only on change (${changed.length})`);
  });

  it('raises the minOrigins finding for streams on one origin, publishes it and feeds the alert engine', async () => {
    const p = plant();
    await p.run(2000);
    const list = await p.findings.queries['findings.list']({}, operator);
    assert.deepEqual(list.map((f) => [f.key, f.severity, f.source]), [
      ['origin:live/music:redundancy', 'major', 'origins'],
      ['origin:live/sport:redundancy', 'major', 'origins'],
    ]);
    assert.match(list[1]!.summary, /^live\/sport is live on 1 origin \(origin-1\); 2 wanted$/);
    assert.match(list[1]!.fix ?? '', /Publish live\/sport to 1 more origin/);
    assert.deepEqual(p.alertEvents.filter((e) => e.type === 'raise').map((e) => e.type === 'raise' && e.key).sort(), ['origin:live/music:redundancy', 'origin:live/sport:redundancy']);
    assert.equal(p.eventsOf('findings.changed').at(-1)?.payload.findings.length, 2);
    assert.ok(p.journal.recent(50).some((e) => e.kind === 'finding.raised' && e.message.startsWith('live/sport is live on 1 origin')));
  });

  it('when one origin stops answering, its streams no longer count: the rule fires and clears when it is back', async () => {
    const p = plant();
    await p.run(2000);
    p.plan.set(p.o2, status(status([]).streams, { state: 'error', error: 'http://127.0.0.8:8080/stat cannot be reached', streams: [stream('live/news'), stream('live/music')] }));
    await p.run(1500);
    const { matrix } = await p.overview();
    assert.equal(matrix.origins.find((o) => o.hostId === p.o2)?.state, 'api-error');
    const keys = (await p.findings.queries['findings.list']({}, operator)).map((f) => `${f.key} ${f.severity}`);
    assert.ok(keys.includes(`origin:${p.o2}:api major`), keys.join(', '));
    assert.ok(keys.includes('origin:live/news:redundancy major'), 'news is on one origin now');
    assert.ok(keys.includes('origin:live/music:redundancy major'), 'music is on none now');
    p.plan.set(p.o2, status([stream('live/news'), stream('live/music')]));
    await p.run(1500);
    const after = (await p.findings.queries['findings.list']({}, operator)).map((f) => f.key);
    assert.ok(!after.includes('origin:live/news:redundancy') && !after.includes(`origin:${p.o2}:api`), after.join(', '));
    assert.ok(p.alertEvents.some((e) => e.type === 'clear' && e.key === 'origin:live/news:redundancy'));
  });

  it('an origin host that goes silent is host-down and its streams stop counting', async () => {
    const p = plant();
    await p.run(2000);
    p.silent.add(p.o1);
    await p.run(3500);
    const { matrix } = await p.overview();
    assert.equal(matrix.origins.find((o) => o.hostId === p.o1)?.state, 'host-down');
    assert.deepEqual(matrix.streams.find((s) => s.key === 'live/news')?.liveOn, [p.o2]);
    const sport = (await p.findings.queries['findings.list']({}, operator)).find((f) => f.key === 'origin:live/sport:redundancy');
    assert.equal(sport?.summary, 'live/sport is live on no origin');
  });

  it('says what goes dark if a chosen origin dies', async () => {
    const p = plant();
    await p.run(2000);
    const impact = await p.origins.queries['origins.impact']({ hostId: p.o1 }, operator);
    assert.deepEqual(impact.dark.map((s) => [s.key, s.clients]), [['live/sport', 1]]);
    assert.deepEqual(impact.belowMin.map((s) => [s.key, s.remaining]), [['live/news', [p.o2]]]);
    assert.equal(impact.playersCut, 1);
    const { impacts } = await p.overview();
    assert.deepEqual(impacts.map((i) => i.hostId).sort(), [p.o1, p.o2].sort());
    await assert.rejects(p.origins.queries['origins.impact']({ hostId: p.tc }, operator), /is not an origin/);
  });

  it('minOrigins is editable, per plant and per stream, journalled and saved', async () => {
    const p = plant();
    await p.run(2000);
    await p.origins.commands['origins.rules.update']({ minOrigins: 1 }, operator);
    assert.deepEqual((await p.findings.queries['findings.list']({}, operator)).map((f) => f.key), []);
    await p.origins.commands['origins.rules.update']({ stream: { key: 'live/news', minOrigins: 3 } }, operator);
    const list = await p.findings.queries['findings.list']({}, operator);
    assert.deepEqual(list.map((f) => f.key), ['origin:live/news:redundancy']);
    assert.match(list[0]!.summary, /live on 2 origins \(origin-1, origin-2\); 3 wanted/);
    assert.deepEqual(p.store.data[ORIGIN_RULES_KEY], { minOrigins: 1, minOriginsByStream: { 'live/news': 3 } });
    await p.origins.commands['origins.rules.update']({ stream: { key: 'live/news', minOrigins: null } }, operator);
    assert.deepEqual(p.store.data[ORIGIN_RULES_KEY], { minOrigins: 1, minOriginsByStream: {} });
    const notes = p.journal.recent(100).filter((e) => e.kind === 'origins.rules-updated').map((e) => e.message);
    assert.deepEqual(notes, [
      'ana changed the origin rule: every stream must be live on 1 origin',
      'ana changed the origin rule: live/news must be live on 3',
      'ana changed the origin rule: live/news follows the default again',
    ]);
  });

  it('reports a corrupt stored rule, keeps it aside and runs on the default until one is saved', async () => {
    const p = plant({ [ORIGIN_RULES_KEY]: { minOrigins: 'two' } });
    assert.deepEqual(p.store.data[`${ORIGIN_RULES_KEY}.rejected`], { minOrigins: 'two' }, 'the bad value is kept');
    assert.ok(p.journal.recent(10).some((e) => e.kind === 'origins.rules-invalid' && e.severity === 'major'));
    await p.run(2000);
    const { settings } = await p.overview();
    assert.equal(settings.minOrigins, 2);
    const store = (await p.findings.queries['findings.list']({}, operator)).find((f) => f.key === 'origins:rules-store');
    assert.match(store?.summary ?? '', /"origins.rules" in \(memory\) is invalid/);
    await p.origins.commands['origins.rules.update']({ minOrigins: 2 }, operator);
    assert.equal((await p.findings.queries['findings.list']({}, operator)).some((f) => f.key === 'origins:rules-store'), false);
  });

  it('waits for every origin to report before publishing, so a restart does not clear and re-raise', async () => {
    const p = plant();
    p.silent.add(p.o2);
    await p.run(2000);
    assert.equal(p.eventsOf('findings.changed').length, 0, 'origin-2 has not reported yet');
    await p.run(ORIGIN_FINDINGS_WARMUP_MS);
    assert.ok(p.eventsOf('findings.changed').length > 0, 'published once the warm-up is over');
  });
});
