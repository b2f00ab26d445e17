import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OriginMatrix } from '../../../../main/core/origins/matrix-view';
import { buildOriginMatrix, describeAudio, describeVideo } from '../../../../main/core/origins/origin-matrix';
import { origin, stream } from './origin-reports';

describe('stream × origin matrix', () => {
  it('puts every stream of every origin in one row, live where it is published', () => {
    const matrix = buildOriginMatrix([
      origin('h-origin-2', [stream('live/ch1', { clients: 3 }), stream('live/ch2', { publishing: false, clients: 1 })]),
      origin('h-origin-1', [stream('live/ch1', { clients: 2 })]),
    ]);
    assert.equal(OriginMatrix.safeParse(matrix).success, true);
    assert.deepEqual(matrix.origins.map((o) => [o.hostName, o.state, o.publishingCount]), [
      ['origin-1', 'ok', 1],
      ['origin-2', 'ok', 1],
    ]);
    assert.deepEqual(matrix.streams.map((s) => [s.key, s.liveOn, s.clients]), [
      ['live/ch1', ['h-origin-1', 'h-origin-2'], 5],
      ['live/ch2', [], 1],
    ]);
    assert.equal(matrix.streams[1]?.cells['h-origin-2']?.live, false);
  });

  const untrusted: [string, Parameters<typeof origin>[2], string][] = [
    ['the host is down', { hostUp: false }, 'host-down'],
    ['its media server cannot be read', { state: 'error', error: 'ECONNREFUSED' }, 'api-error'],
    ['its agent has not read the server yet', { state: 'starting' }, 'starting'],
  ];
  for (const [what, over, state] of untrusted) {
    it(`does not count an origin when ${what}, but still shows its last cells`, () => {
      const matrix = buildOriginMatrix([origin('h-o1', [stream('live/ch1')], over)]);
      assert.equal(matrix.origins[0]?.state, state);
      assert.deepEqual(matrix.streams[0]?.liveOn, []);
      assert.equal(matrix.streams[0]?.cells['h-o1']?.publishing, true);
      assert.equal(matrix.streams[0]?.cells['h-o1']?.live, false);
    });
  }

  it('shows a host with no origin report as such', () => {
    const matrix = buildOriginMatrix([{ hostId: 'h-x', hostName: 'x', hostUp: true, status: null }]);
    assert.deepEqual(matrix.origins[0], { hostId: 'h-x', hostName: 'x', server: null, state: 'no-report', error: null, publishingCount: 0, truncated: false });
  });

  it('adds expected streams nobody lists, and marks the listed ones expected', () => {
    const matrix = buildOriginMatrix([origin('h-o1', [stream('live/ch1')])], ['live/ch1', 'live/ch9', 'radio']);
    assert.deepEqual(matrix.streams.map((s) => [s.key, s.app, s.name, s.expected, s.liveOn.length]), [
      ['live/ch1', 'live', 'ch1', true, 1],
      ['live/ch9', 'live', 'ch9', true, 0],
      ['radio', '', 'radio', true, 0],
    ]);
  });

  it('flags a truncated report and ignores a key listed twice by one server', () => {
    const matrix = buildOriginMatrix([origin('h-o1', [stream('live/a'), stream('live/a', { clients: 9 })], { streamsTotal: 5000 })]);
    assert.equal(matrix.origins[0]?.truncated, true);
    assert.equal(matrix.streams[0]?.clients, 0);
    assert.equal(matrix.streams[0]?.liveOn.length, 1);
  });

  it('describes the tracks of a live cell', () => {
    const matrix = buildOriginMatrix([
      origin('h-o1', [stream('live/a', { video: { codec: 'H264', width: 1920, height: 1080, frameRate: 25, profile: 'High', level: '4.1' }, audio: { codec: 'AAC', sampleRateHz: 48000, channels: 2, profile: 'LC' } })]),
    ]);
    assert.equal(matrix.streams[0]?.video, 'H264 1920×1080 25 fps');
    assert.equal(matrix.streams[0]?.audio, 'AAC 48 kHz 2 ch');
    assert.equal(describeVideo({ codec: 'HEVC', width: null, height: null, frameRate: null, profile: null, level: null }), 'HEVC');
    assert.equal(describeAudio(null), null);
  });
});
