import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretPing, type PingAnswer, pingOnce } from '../../../../main/core/network/icmp-check';

describe('ICMP check', () => {
  const table: [string, PingAnswer, ReturnType<typeof interpretPing>][] = [
    ['alive with a time', { alive: true, time: 0.048, packetLoss: '0.000', output: '' }, { kind: 'alive', rttMs: 0.048 }],
    ['alive, time unknown', { alive: true, time: 'unknown', packetLoss: '0.000', output: '' }, { kind: 'alive', rttMs: null }],
    ['no reply', { alive: false, time: 'unknown', packetLoss: '100.000', output: '' }, { kind: 'dead' }],
    [
      'packetLoss "unknown" is an error, whatever alive says',
      { alive: false, time: 'unknown', packetLoss: 'unknown', output: 'ping: bad.invalid: Name or service not known\n' },
      { kind: 'error', message: 'ping could not run: ping: bad.invalid: Name or service not known' },
    ],
  ];
  for (const [what, answer, want] of table) it(what, () => assert.deepEqual(interpretPing(answer), want));

  it('asks for one reply with a whole-second timeout, numerically', async () => {
    let seen: unknown;
    const result = await pingOnce('127.0.0.1', 1500, async (address, config) => {
      seen = { address, config };
      return { alive: true, time: 1, packetLoss: '0.000', output: '' };
    });
    assert.deepEqual(seen, { address: '127.0.0.1', config: { timeout: 2, min_reply: 1, numeric: true } });
    assert.deepEqual(result, { kind: 'alive', rttMs: 1 });
  });

  it('reports a ping that cannot run, and never passes an option-like address', async () => {
    assert.deepEqual(await pingOnce('127.0.0.1', 1000, async () => Promise.reject(new Error('spawn ping ENOENT'))), {
      kind: 'error',
      message: 'ping could not run: spawn ping ENOENT',
    });
    let called = false;
    const result = await pingOnce('-f', 1000, async () => {
      called = true;
      return { alive: true, time: 1, packetLoss: '0.000', output: '' };
    });
    assert.equal(called, false);
    assert.equal(result.kind, 'error');
  });
});
