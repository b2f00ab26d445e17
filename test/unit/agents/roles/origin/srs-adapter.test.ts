import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpGet } from '../../../../../agents/roles/origin/adapter';
import { parseSrsStreams, srsAdapter } from '../../../../../agents/roles/origin/srs-adapter';
import { fixtureJson } from './fixtures';

const request = { baseUrl: 'http://127.0.0.1:1985', path: '/api/v1/streams', pageSize: 2, maxStreams: 2000, nowMs: 0 };

describe('SRS /api/v1/streams adapter', () => {
  it('reads SRS v3 (integer ids, the publisher counted in clients)', () => {
    const { streams, problems, ids } = parseSrsStreams(fixtureJson('srs-v3-streams.json'));
    assert.deepEqual(problems, []);
    assert.deepEqual(ids, ['108', '110']);
    assert.deepEqual(streams[0], {
      app: 'live',
      name: 'livestream',
      publishing: true,
      clients: 2,
      bitrateInKbps: 811,
      bitrateOutKbps: 1622,
      bytesIn: 25622871,
      bytesOut: 51022310,
      uptimeSec: null,
      video: { codec: 'H264', width: 1280, height: 720, frameRate: null, profile: 'High', level: '3.1' },
      audio: { codec: 'AAC', sampleRateHz: 44100, channels: 2, profile: 'LC' },
    });
    assert.equal(streams[1]?.publishing, false);
    assert.equal(streams[1]?.clients, 1, 'a player waiting for a stream with no publisher');
    assert.equal(streams[1]?.video, null);
  });

  it('reads SRS v5 (string ids, tcUrl, total, audio-only and video-only streams)', () => {
    const { streams, total } = parseSrsStreams(fixtureJson('srs-v5-streams.json'));
    assert.equal(total, 3);
    assert.deepEqual(streams.map((s) => [s.app, s.name, s.publishing, s.clients]), [
      ['live', 'ch1', true, 4],
      ['live', 'ch2', true, 0],
      ['audio', 'radio', false, 2],
    ]);
    assert.equal(streams[1]?.audio, null);
    assert.equal(streams[1]?.video?.codec, 'HEVC');
    assert.equal(streams[2]?.video, null);
  });

  it('reads what it can of entries with missing or mistyped fields and reports the rest', () => {
    const { streams, problems } = parseSrsStreams(fixtureJson('srs-missing-fields.json'));
    assert.deepEqual(streams.map((s) => s.name), ['bare', 'odd-types']);
    assert.deepEqual(streams[0], {
      app: 'live', name: 'bare', publishing: false, clients: 0, bitrateInKbps: null, bitrateOutKbps: null,
      bytesIn: null, bytesOut: null, uptimeSec: null, video: null, audio: null,
    });
    assert.equal(streams[1]?.publishing, true);
    assert.equal(streams[1]?.clients, 3);
    assert.deepEqual(streams[1]?.video, { codec: 'H264', width: null, height: null, frameRate: null, profile: null, level: null });
    assert.equal(streams[1]?.audio, null);
    assert.equal(problems.length, 3);
  });

  it('turns an error code or a wrong shape into a readable failure', () => {
    assert.throws(() => parseSrsStreams(fixtureJson('srs-error.json')), /SRS answered code 1006/);
    assert.throws(() => parseSrsStreams({ code: 0 }), /no "streams" list/);
    assert.throws(() => parseSrsStreams([]), /not a JSON object/);
  });

  it('always passes count and pages with start until total is reached', async () => {
    const all = (fixtureJson('srs-v5-streams.json') as { streams: unknown[] }).streams;
    const asked: string[] = [];
    const get: HttpGet = async (url) => {
      asked.push(url);
      const q = new URL(url).searchParams;
      const start = Number(q.get('start'));
      const count = Number(q.get('count'));
      return { status: 200, body: JSON.stringify({ code: 0, total: all.length, streams: all.slice(start, start + count) }) };
    };
    const { streams } = await srsAdapter.listStreams(get, request);
    assert.deepEqual(streams.map((s) => s.name), ['ch1', 'ch2', 'radio']);
    assert.deepEqual(asked, [
      'http://127.0.0.1:1985/api/v1/streams?start=0&count=2',
      'http://127.0.0.1:1985/api/v1/streams?start=2&count=2',
    ]);
  });

  it('stops paging when an old server ignores start and repeats the first page', async () => {
    let calls = 0;
    const get: HttpGet = async () => {
      calls++;
      return { status: 200, body: JSON.stringify(fixtureJson('srs-v3-streams.json')) };
    };
    const { streams, problems } = await srsAdapter.listStreams(get, request);
    assert.equal(calls, 2);
    assert.equal(streams.length, 2);
    assert.match(problems.join(), /repeated a page/);
  });
});
