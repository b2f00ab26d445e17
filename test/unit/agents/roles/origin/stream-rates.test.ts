import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParsedStream } from '../../../../../agents/roles/origin/adapter';
import { type CounterSample, withRates } from '../../../../../agents/roles/origin/stream-rates';

function stream(over: Partial<ParsedStream>): ParsedStream {
  return {
    app: 'live', name: 'ch1', publishing: true, clients: 0, bitrateInKbps: null, bitrateOutKbps: null,
    bytesIn: null, bytesOut: null, uptimeSec: null, video: null, audio: null, ...over,
  };
}

const before = (sample: Partial<CounterSample>) => new Map([['live/ch1', { atMs: 0, bytesIn: null, bytesOut: null, ...sample }]]);

describe('rates from byte counters', () => {
  const table: [string, Map<string, CounterSample>, Partial<ParsedStream>, number | null, number | null][] = [
    ['first poll: the server figure', new Map(), { bitrateInKbps: 800, bytesIn: 1000 }, 800, null],
    ['first poll, server says nothing: unknown', new Map(), { bytesIn: 1000 }, null, null],
    ['second poll: counters win over a lagging server figure', before({ bytesIn: 0, bytesOut: 0 }), { bitrateInKbps: 0, bytesIn: 250_000, bytesOut: 500_000 }, 1000, 2000],
    ['a counter that went back (server restart): the server figure', before({ bytesIn: 9_000_000 }), { bitrateInKbps: 640, bytesIn: 100 }, 640, null],
    ['counters appear only now: the server figure', before({}), { bitrateInKbps: 300, bytesIn: 5 }, 300, null],
    ['no publisher: nothing comes in, whatever the server average says', before({ bytesIn: 0 }), { publishing: false, bitrateInKbps: 392, bytesIn: 0 }, 0, null],
  ];
  for (const [what, previous, now, inKbps, outKbps] of table) {
    it(what, () => {
      const { streams } = withRates([stream(now)], previous, 2000);
      assert.equal(streams[0]?.bitrateInKbps, inKbps);
      assert.equal(streams[0]?.bitrateOutKbps, outKbps);
    });
  }

  it('remembers only the streams of this poll', () => {
    const { memory } = withRates([stream({ name: 'ch2', bytesIn: 7 })], before({ bytesIn: 1 }), 5000);
    assert.deepEqual([...memory.entries()], [['live/ch2', { atMs: 5000, bytesIn: 7, bytesOut: null }]]);
  });

  it('drops the counters from the report', () => {
    const { streams } = withRates([stream({ bytesIn: 7 })], new Map(), 1);
    assert.equal('bytesIn' in streams[0]!, false);
  });
});
