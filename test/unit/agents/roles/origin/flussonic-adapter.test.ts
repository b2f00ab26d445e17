import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpGet } from '../../../../../agents/roles/origin/adapter';
import { flussonicAdapter, parseFlussonicStreams } from '../../../../../agents/roles/origin/flussonic-adapter';
import { fixtureServer, fixtureJson } from './fixtures';

const request = { baseUrl: 'http://127.0.0.1:80', path: '/streamer/api/v3/streams', pageSize: 2, maxStreams: 2000, nowMs: 0 };
const base = 'http://127.0.0.1/streamer/api/v3/streams';

describe('Flussonic /streamer/api/v3/streams adapter', () => {
  it('reads alive, input bitrate, clients and media info', () => {
    const { streams, next } = parseFlussonicStreams(fixtureJson('flussonic-streams-page1.json'));
    assert.equal(next, 'JTI3bmFtZSUyNyUzRSUyN2NoMiUyNw');
    assert.deepEqual(streams[0], {
      app: '',
      name: 'ch1',
      publishing: true,
      clients: 42,
      bitrateInKbps: 4480,
      bitrateOutKbps: null,
      bytesIn: 48384000000,
      bytesOut: 612000000000,
      uptimeSec: null,
      video: { codec: 'h264', width: 1920, height: 1080, frameRate: 25, profile: 'High', level: '4.0' },
      audio: { codec: 'aac', sampleRateHz: 48000, channels: 2, profile: null },
    });
    assert.deepEqual([streams[1]?.app, streams[1]?.name, streams[1]?.publishing, streams[1]?.video], ['sport', 'ch2', false, null]);
  });

  it('follows the cursor until next is null', async () => {
    const get = fixtureServer({
      [`${base}?limit=2`]: 'flussonic-streams-page1.json',
      [`${base}?limit=2&cursor=JTI3bmFtZSUyNyUzRSUyN2NoMiUyNw`]: 'flussonic-streams-page2.json',
    });
    const { streams, problems } = await flussonicAdapter.listStreams(get, request);
    assert.deepEqual(streams.map((s) => s.name), ['ch1', 'ch2', 'ch3']);
    assert.equal(get.asked.length, 2);
    assert.deepEqual(problems, ['Flussonic stream #1 has no name and was skipped']);
  });

  it('stops when the server hands the same cursor back', async () => {
    let calls = 0;
    const get: HttpGet = async () => {
      calls++;
      return { status: 200, body: JSON.stringify({ next: 'same', streams: [{ name: `s${calls}`, stats: { alive: true } }] }) };
    };
    const { streams, problems } = await flussonicAdapter.listStreams(get, request);
    assert.equal(calls, 2);
    assert.equal(streams.length, 2);
    assert.match(problems.join(), /repeated a cursor/);
  });

  it('explains an authentication failure', async () => {
    const get = fixtureServer({ [`${base}?limit=2`]: { status: 401, body: '{"errors":[{"title":"unauthorized"}]}' } });
    await assert.rejects(flussonicAdapter.listStreams(get, request), /Flussonic answered HTTP 401 \(check the credentials/);
  });
});
