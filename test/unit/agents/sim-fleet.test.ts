import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChannelConfigBytes } from '../../../agents/protocol';
import { ChannelStatus } from '../../../agents/protocol';
import { simChannels } from '../../../agents/sim/sim-channels';
import { simHostName, simIp, simToken } from '../../../agents/sim/sim-fleet';

describe('simulator addressing', () => {
  it('one loopback address per agent, skipping .0 and .255', () => {
    assert.equal(simIp('127.77.0.1', 0), '127.77.0.1');
    assert.equal(simIp('127.77.0.1', 253), '127.77.0.254');
    assert.equal(simIp('127.77.0.1', 254), '127.77.1.1');
    const all = Array.from({ length: 1000 }, (_, k) => simIp('127.77.0.1', k));
    assert.equal(new Set(all).size, 1000);
    assert.ok(all.every((ip) => !ip.endsWith('.0') && !ip.endsWith('.255')));
  });

  it('refuses an address outside loopback', () => {
    assert.throws(() => simIp('10.0.0.1', 0), /loopback/);
  });

  it('names and tokens are stable, distinct and long enough for the agent schema', () => {
    assert.equal(simHostName('sim', 0), 'sim-0001');
    assert.equal(simToken('seed', 'sim-0001'), simToken('seed', 'sim-0001'));
    assert.notEqual(simToken('seed', 'sim-0001'), simToken('seed', 'sim-0002'));
    assert.ok(simToken('seed', 'sim-0001').length >= 16);
  });
});

describe('simulated channels', () => {
  it('report statuses the wire schema accepts, from config files the agent would accept', () => {
    for (const c of simChannels(20, Date.now() - 60_000, 3)) {
      assert.ok(ChannelStatus.safeParse(c.status(Date.now())).success);
      assert.ok(parseChannelConfigBytes(c.bytes, c.name).ok);
    }
  });
});
