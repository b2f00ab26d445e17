import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type AgentMessage, PROTOCOL_VERSION } from '../../../agents/protocol';
import type { CallContext, TallyEvent } from '../../../main/core/api';
import { FakeClock } from '../../../main/core/clock';
import { createConsole } from '../../../main/core/console';
import type { AgentConnector, LinkHandlers } from '../../../main/core/fleet/agent-link';
import { memoryStore } from '../../helpers/memory-store';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const op: CallContext = { access: 'operator', operator: 'ana', transport: 'http' };

/** The engine with its agent links under the test's control (the real links are covered by integration tests). */
function harness() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-console-'));
  dirs.push(dataDir);
  const clock = new FakeClock();
  const links = new Map<string, LinkHandlers>();
  const connect: AgentConnector = (target, handlers) => {
    links.set(target.address, handlers);
    return { state: 'connecting', close: () => void links.delete(target.address), send: () => true, request: async () => ({}) as never };
  };
  // Every API check fails and the host answers ping: an agent that hangs on a live host.
  const engine = createConsole({ store: memoryStore(), dataDir, clock, connect, proberPorts: { checkApi: async () => 'fail', ping: async () => 'ok' } });
  const events: TallyEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const say = (address: string, message: AgentMessage) => links.get(address)!.onMessage(message, clock.now());
  const hello: AgentMessage = { type: 'hello', protocol: PROTOCOL_VERSION, agentId: 'a', version: '0.1.0', roles: ['system'], epoch: 'e', heartbeatMs: 500 };
  const beat = (seq: number): AgentMessage => ({ type: 'heartbeat', seq, sentAt: 0, status: {}, events: [] });
  /** Moves the fake clock in 100 ms steps, letting probe promises settle in between. */
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(Math.min(100, ms - t));
      await new Promise((r) => setImmediate(r));
    }
  };
  return { engine, clock, links, events, say, hello, beat, advance };
}

describe('console engine', () => {
  it('turns heartbeats and silence into ok → attention → down → ok, journalled and sent as events', async () => {
    const { engine, links, events, say, hello, beat, advance } = harness();
    engine.start();
    const host = await engine.handlers.commands['host.add']({ name: 'tc-1', address: '127.0.0.2:7411', token: 't'.repeat(16), kind: 'transcoder', role: 'main', group: '' }, op);
    assert.ok(links.has('127.0.0.2:7411'), 'a link is opened for a new host');
    links.get('127.0.0.2:7411')!.onState('connected', null);
    say('127.0.0.2:7411', hello);
    for (let i = 0; i < 4; i++) {
      await advance(500);
      say('127.0.0.2:7411', beat(i));
    }
    assert.equal(engine.hostView(host.id)?.health, 'ok');
    await advance(1200);
    assert.equal(engine.hostView(host.id)?.health, 'attention');
    await advance(1400);
    assert.equal(engine.hostView(host.id)?.health, 'attention', 'not before the whole confirmation window (2.7 s)');
    await advance(200);
    assert.equal(engine.hostView(host.id)?.health, 'down');
    assert.match(engine.hostView(host.id)!.healthReason ?? '', /agent silent to the console; the host answers ping \(service hung\)/);
    say('127.0.0.2:7411', beat(9));
    assert.equal(engine.hostView(host.id)?.health, 'ok');
    await advance(300);
    const trail = engine.journal.recent(50).filter((e) => e.kind === 'host.health').map((e) => e.data?.to);
    assert.deepEqual(trail, ['ok', 'attention', 'down', 'ok']);
    const changed = events.filter((e) => e.type === 'hosts.changed');
    assert.ok(changed.length > 0, 'hosts.changed events are emitted');
    assert.ok(changed.length < 30, `events are coalesced (${changed.length})`);
    await engine.stop();
  });

  it('journals auth failures and malformed messages without flooding', async () => {
    const { engine, clock, links } = harness();
    engine.start();
    const host = await engine.handlers.commands['host.add']({ name: 'tc-2', address: '127.0.0.3:7411', token: 't'.repeat(16), kind: 'transcoder', role: 'main', group: '' }, op);
    const link = links.get('127.0.0.3:7411')!;
    link.onState('auth-failed', 'the agent refused our token (401)');
    assert.equal(engine.hostView(host.id)?.link, 'auth-failed');
    for (let i = 0; i < 50; i++) link.onRejected('not JSON');
    clock.advance(11_000);
    link.onRejected('not JSON');
    const kinds = engine.journal.recent(100).map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'host.auth-failed').length, 1);
    assert.equal(kinds.filter((k) => k === 'agent.message-rejected').length, 2, 'one entry per 10 s, with a running count');
    const last = engine.journal.recent(100).filter((e) => e.kind === 'agent.message-rejected').at(-1)!;
    assert.equal(last.data?.rejectedSoFar, 51);
    await engine.stop();
  });

  it('attributes operator actions and reconnects when the address changes', async () => {
    const { engine, links } = harness();
    engine.start();
    const host = await engine.handlers.commands['host.add']({ name: 'tc-3', address: '127.0.0.4:7411', token: 't'.repeat(16), kind: 'transcoder', role: 'main', group: '' }, op);
    await engine.handlers.commands['host.update']({ id: host.id, patch: { role: 'reserve', group: 'east' } }, op);
    await engine.handlers.commands['host.update']({ id: host.id, patch: { address: '127.0.0.5:7411' } }, op);
    assert.deepEqual([...links.keys()], ['127.0.0.5:7411']);
    const updated = engine.hostView(host.id)!;
    assert.deepEqual([updated.role, updated.group, updated.kind], ['reserve', 'east', 'transcoder'], 'a patch changes only the fields it names');
    await engine.handlers.commands['host.remove']({ id: host.id }, op);
    assert.equal(links.size, 0);
    const actions = engine.journal.recent(20).filter((e) => e.operator === 'ana').map((e) => e.kind);
    assert.deepEqual(actions, ['host.added', 'host.updated', 'host.updated', 'host.removed']);
    await engine.stop();
  });

  it('validates settings changes', async () => {
    const { engine } = harness();
    const health = { heartbeatMs: 500, suspectAfterMs: 1200, tAddMs: 500, confirmChecks: 3, checkTimeoutMs: 400, tMainMs: 5000 };
    await assert.rejects(engine.handlers.commands['settings.update']({ health: { ...health, suspectAfterMs: 600 } }, op), /two missed heartbeats/);
    const next = await engine.handlers.commands['settings.update']({ health: { ...health, confirmChecks: 4 } }, op);
    assert.equal(next.health.confirmChecks, 4);
  });
});
