import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ORIGIN_REPORT_BYTES, type OriginStream } from '../../../../../agents/protocol';
import { fitReport } from '../../../../../agents/roles/origin/report-budget';

const s = (name: string, publishing: boolean): OriginStream => ({
  app: 'live', name, publishing, clients: 0, bitrateInKbps: null, bitrateOutKbps: null, uptimeSec: null, video: null, audio: null,
});

describe('origin report budget', () => {
  it('leaves a report that fits as it is, in the server order', () => {
    const streams = [s('b', false), s('a', true)];
    assert.deepEqual(fitReport(streams), streams);
  });

  it('cuts by count, publishing streams first', () => {
    const kept = fitReport([s('idle-1', false), s('live-1', true), s('idle-2', false), s('live-2', true)], 10_000, 3);
    assert.deepEqual(kept.map((x) => x.name), ['live-1', 'live-2', 'idle-1']);
  });

  it('cuts by bytes, however long the names', () => {
    const huge = Array.from({ length: 5000 }, (_, i) => s(`${'n'.repeat(250)}-${i}`, i % 2 === 0));
    const kept = fitReport(huge);
    assert.ok(kept.length < huge.length);
    assert.ok(Buffer.byteLength(JSON.stringify(kept)) <= MAX_ORIGIN_REPORT_BYTES);
    assert.ok(kept.every((x) => x.publishing), 'the publishing half comes first');
  });
});
