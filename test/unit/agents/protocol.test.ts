import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentConfig, MAX_STREAM_MESSAGE_BYTES, parseAgentMessage, parseConsoleMessage, PROTOCOL_VERSION } from '../../../agents/protocol';

const hello = { type: 'hello', protocol: PROTOCOL_VERSION, agentId: 'tc-1', version: '0.1.0', roles: ['system'], epoch: 'e1', heartbeatMs: 500 };

describe('agent wire protocol', () => {
  it('accepts a hello and a heartbeat', () => {
    assert.deepEqual(parseAgentMessage(JSON.stringify(hello)), { ok: true, message: hello });
    const hb = parseAgentMessage(JSON.stringify({ type: 'heartbeat', seq: 3, sentAt: 1, status: {} }));
    assert.equal(hb.ok, true);
    assert.deepEqual(hb.ok && hb.message.type === 'heartbeat' && hb.message.events, [], 'events default to none');
  });

  it('says why it rejects a frame', () => {
    const cases: [string, RegExp][] = [
      ['not json at all', /not JSON/],
      [JSON.stringify({ type: 'launch-missiles' }), /type/],
      [JSON.stringify({ ...hello, roles: ['wizard'] }), /roles\.0/],
      [JSON.stringify({ type: 'heartbeat', seq: -1, sentAt: 1, status: {} }), /seq/],
      [JSON.stringify({ type: 'heartbeat', seq: 1, sentAt: 1, status: { system: { cpuPct: 250 } } }), /status\.system/],
      ['x'.repeat(MAX_STREAM_MESSAGE_BYTES + 1), /over the limit/],
    ];
    for (const [raw, reason] of cases) {
      const parsed = parseAgentMessage(raw);
      assert.equal(parsed.ok, false, raw.slice(0, 40));
      assert.match(!parsed.ok ? parsed.reason : '', reason);
    }
  });

  it('validates what the console may send', () => {
    assert.equal(parseConsoleMessage(JSON.stringify({ type: 'ping', at: 1 })).ok, true);
    assert.equal(parseConsoleMessage('{"type":"exec","cmd":"rm -rf /"}').ok, false);
  });

  it('fills config defaults and refuses a weak token', () => {
    const config = AgentConfig.parse({ agentId: 'a1', listen: {}, token: 'x'.repeat(16) });
    assert.equal(config.heartbeatMs, 500);
    assert.deepEqual(config.roles, ['system']);
    assert.equal(config.listen.port, 7411);
    const weak = AgentConfig.safeParse({ agentId: 'a1', listen: {}, token: 'short' });
    assert.equal(weak.success, false);
    const badId = AgentConfig.safeParse({ agentId: '../etc', listen: {}, token: 'x'.repeat(16) });
    assert.equal(badId.success, false);
  });
});
