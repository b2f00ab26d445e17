import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mediamtxAdapter, parseMediamtxPaths } from '../../../../../agents/roles/origin/mediamtx-adapter';
import { fixtureServer, fixtureJson } from './fixtures';

const NOW = Date.parse('2025-11-03T12:10:00Z');

describe('MediaMTX /v3/paths/list adapter', () => {
  it('reads the ≤1.15 shape: ready, codec names, bytesReceived/bytesSent', () => {
    const { streams, pageCount } = parseMediamtxPaths(fixtureJson('mediamtx-1.15-paths.json'), Date.parse('2024-05-02T10:00:00Z'));
    assert.equal(pageCount, 1);
    assert.deepEqual(streams[0], {
      app: 'live',
      name: 'ch1',
      publishing: true,
      clients: 2,
      bitrateInKbps: null,
      bitrateOutKbps: null,
      bytesIn: 90000000,
      bytesOut: 270000000,
      uptimeSec: 60,
      video: { codec: 'H264', width: null, height: null, frameRate: null, profile: null, level: null },
      audio: { codec: 'MPEG-4 Audio', sampleRateHz: null, channels: null, profile: null },
    });
    assert.deepEqual([streams[1]?.app, streams[1]?.name, streams[1]?.publishing, streams[1]?.uptimeSec], ['', 'cam-lobby', false, null]);
    assert.equal(streams[2]?.video, null);
    assert.equal(streams[2]?.audio?.codec, 'Opus');
  });

  it('reads the ≥1.16 shape: online decides publishing, tracks2 gives sizes, inbound/outbound bytes', () => {
    const { streams, pageCount } = parseMediamtxPaths(fixtureJson('mediamtx-1.16-paths-page0.json'), NOW);
    assert.equal(pageCount, 2);
    assert.equal(streams[0]?.uptimeSec, 600);
    assert.deepEqual(streams[0]?.video, { codec: 'H264', width: 1920, height: 1080, frameRate: null, profile: 'High', level: '4.1' });
    assert.deepEqual(streams[0]?.audio, { codec: 'MPEG-4 Audio', sampleRateHz: 48000, channels: 2, profile: null });
    const standby = streams[1];
    assert.equal(standby?.publishing, false, 'available (an always-available placeholder) but not online');
    assert.equal(standby?.clients, 2);
  });

  it('reads empty codec props as unknown and ignores non-media tracks', () => {
    const [cam] = parseMediamtxPaths(fixtureJson('mediamtx-1.16-paths-page1.json'), NOW).streams;
    assert.deepEqual(cam?.video, { codec: 'H265', width: null, height: null, frameRate: null, profile: null, level: null });
    assert.equal(cam?.audio, null);
    assert.equal(cam?.bytesOut, 0);
  });

  it('skips nameless items and refuses an answer without items', () => {
    const { streams, problems } = parseMediamtxPaths({ pageCount: 1, items: [{ ready: true }, null, { name: 'x' }] }, NOW);
    assert.deepEqual(streams.map((s) => s.name), ['x']);
    assert.equal(problems.length, 2);
    assert.throws(() => parseMediamtxPaths({ error: 'authentication error' }, NOW), /no "items" list/);
  });

  it('reads every page', async () => {
    const base = 'http://127.0.0.1:9997/v3/paths/list';
    const get = fixtureServer({
      [`${base}?page=0&itemsPerPage=2`]: 'mediamtx-1.16-paths-page0.json',
      [`${base}?page=1&itemsPerPage=2`]: 'mediamtx-1.16-paths-page1.json',
    });
    const { streams } = await mediamtxAdapter.listStreams(get, { baseUrl: 'http://127.0.0.1:9997', path: '/v3/paths/list', pageSize: 2, maxStreams: 2000, nowMs: NOW });
    assert.deepEqual(streams.map((s) => `${s.app}/${s.name}`), ['live/ch1', 'live/standby', 'studio/cam2']);
    assert.equal(get.asked.length, 2);
  });
});
