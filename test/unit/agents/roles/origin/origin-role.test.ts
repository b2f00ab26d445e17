import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OriginAgentConfig, OriginStatus } from '../../../../../agents/protocol';
import type { HttpGet } from '../../../../../agents/roles/origin/adapter';
import { createOriginRole } from '../../../../../agents/roles/origin/origin-role';
import type { RoleContext } from '../../../../../agents/roles/role';
import { fixtureText } from './fixtures';

function harness(answer: { current: HttpGet }) {
  const logs: { level: string; message: string }[] = [];
  let nudges = 0;
  const ctx: RoleContext = { log: (level, message) => void logs.push({ level, message }), nudge: () => void nudges++ };
  let clock = 1_000_000;
  const config = OriginAgentConfig.parse({ server: 'nginx-rtmp', apiUrl: 'http://stat:secret@127.0.0.1:8080/' });
  const role = createOriginRole(ctx, config, { get: (url) => answer.current(url), now: () => clock });
  return { role, logs, nudges: () => nudges, tick: (ms: number) => void (clock += ms) };
}

const serve = (file: string): HttpGet => async () => ({ status: 200, body: fixtureText(file) });
const refuse: HttpGet = async () => {
  throw new Error('127.0.0.1:8080 cannot be reached: ECONNREFUSED');
};

describe('origin role', () => {
  it('needs its config section', () => {
    assert.throws(() => createOriginRole({ log() {}, nudge() {} }, undefined), /needs an "origin" section/);
  });

  it('starts as "starting", then reports the streams, without credentials in the reported address', async () => {
    const answer = { current: serve('nginx-rtmp-1.1.4-publishing.xml') };
    const h = harness(answer);
    assert.equal(h.role.status().origin?.state, 'starting');
    await h.role.pollNow();
    const status = OriginStatus.parse(h.role.status().origin);
    assert.equal(status.state, 'ok');
    assert.equal(status.apiUrl, 'http://127.0.0.1:8080/stat');
    assert.equal(status.polledAt, 1_000_000);
    assert.deepEqual(status.streams.map((s) => [s.name, s.publishing, s.bitrateInKbps]), [['ch1', true, 393]]);
    assert.deepEqual(h.role.drainEvents(), [], 'the first answer is a baseline, not a change');
  });

  it('derives rates from counters on the next poll and tells when a publisher leaves', async () => {
    const answer = { current: serve('nginx-rtmp-1.1.4-publishing.xml') };
    const h = harness(answer);
    await h.role.pollNow();
    h.tick(6000);
    answer.current = serve('nginx-rtmp-1.1.4-publisher-gone.xml');
    await h.role.pollNow();
    const [stream] = h.role.status().origin!.streams;
    assert.equal(stream?.bitrateInKbps, 0);
    assert.equal(stream?.bitrateOutKbps, Math.round(((810292 - 590623) * 8) / 6000));
    assert.deepEqual(h.role.drainEvents().map((e) => e.kind), ['origin.stream-stopped']);
  });

  it('turns an unreachable server into an error state, once, and says when it is back', async () => {
    const answer = { current: serve('nginx-rtmp-1.1.4-publishing.xml') };
    const h = harness(answer);
    await h.role.pollNow();
    answer.current = refuse;
    await h.role.pollNow();
    await h.role.pollNow();
    const down = h.role.status().origin!;
    assert.equal(down.state, 'error');
    assert.match(down.error ?? '', /ECONNREFUSED/);
    assert.equal(down.streams.length, 1, 'the last streams seen stay, marked by the state');
    assert.deepEqual(h.role.drainEvents().map((e) => e.kind), ['origin.api-down']);
    assert.equal(h.logs.filter((l) => l.level === 'warn').length, 1);
    answer.current = serve('nginx-rtmp-1.1.4-publishing.xml');
    await h.role.pollNow();
    assert.equal(h.role.status().origin?.state, 'ok');
    assert.deepEqual(h.role.drainEvents().map((e) => e.kind), ['origin.api-up']);
  });

  it('reports odd answers as events once, not every poll', async () => {
    const answer = { current: serve('nginx-rtmp-multi-app.xml') };
    const h = harness(answer);
    await h.role.pollNow();
    await h.role.pollNow();
    assert.deepEqual(h.role.drainEvents().map((e) => e.kind), ['origin.api-problem']);
  });

  it('keeps every report inside the wire schema, however long the names', async () => {
    const long = 'x'.repeat(5000);
    const answer = { current: (async () => ({ status: 200, body: `<rtmp><server><application><name>${long}</name><live><stream><name>${long}</name><publishing/></stream></live></application></server></rtmp>` })) as HttpGet };
    const h = harness(answer);
    await h.role.pollNow();
    assert.equal(OriginStatus.safeParse(h.role.status().origin).success, true);
  });

  it('cuts an oversized listing to fit a heartbeat, says so once, and still counts every stream', async () => {
    const streams = Array.from({ length: 3000 }, (_, i) => `<stream><name>${'n'.repeat(200)}${i}</name><publishing/></stream>`).join('');
    const answer = { current: (async () => ({ status: 200, body: `<rtmp><server><application><name>live</name><live>${streams}</live></application></server></rtmp>` })) as HttpGet };
    const h = harness(answer);
    await h.role.pollNow();
    await h.role.pollNow();
    const report = OriginStatus.parse(h.role.status().origin);
    assert.equal(report.streamsTotal, 3000);
    assert.ok(report.streams.length < 3000);
    assert.ok(Buffer.byteLength(JSON.stringify(report)) < 600 * 1024);
    assert.deepEqual(h.role.drainEvents().map((e) => e.kind), ['origin.report-truncated']);
  });

  it('does not overlap polls', async () => {
    let calls = 0;
    const answer = { current: (async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { status: 200, body: fixtureText('nginx-rtmp-1.1.4-publishing.xml') };
    }) as HttpGet };
    const h = harness(answer);
    await Promise.all([h.role.pollNow(), h.role.pollNow(), h.role.pollNow()]);
    assert.equal(calls, 1);
  });
});
