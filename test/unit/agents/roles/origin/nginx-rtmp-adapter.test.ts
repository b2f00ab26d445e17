import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nginxRtmpAdapter, parseNginxRtmpStat } from '../../../../../agents/roles/origin/nginx-rtmp-adapter';
import { fixtureServer, fixtureText } from './fixtures';

const byKey = <T extends { app: string; name: string }>(streams: T[]) => new Map(streams.map((s) => [`${s.app}/${s.name}`, s]));

describe('nginx-rtmp /stat adapter', () => {
  it('reads a captured answer of nginx-rtmp 1.1.4 with a publisher and a player', () => {
    const { streams, problems } = parseNginxRtmpStat(fixtureText('nginx-rtmp-1.1.4-publishing.xml'));
    assert.deepEqual(problems, []);
    assert.deepEqual(streams, [
      {
        app: 'live',
        name: 'ch1',
        publishing: true,
        clients: 1,
        bitrateInKbps: 393,
        bitrateOutKbps: 393,
        bytesIn: 590678,
        bytesOut: 590623,
        uptimeSec: 13,
        video: { codec: 'H264', width: 320, height: 180, frameRate: 25, profile: 'High', level: '1.3' },
        audio: { codec: 'AAC', sampleRateHz: 44100, channels: 1, profile: 'LC' },
      },
    ]);
  });

  it('reads a stream whose publisher has gone as not publishing (the player is still counted)', () => {
    const [stream] = parseNginxRtmpStat(fixtureText('nginx-rtmp-1.1.4-publisher-gone.xml')).streams;
    assert.equal(stream?.publishing, false);
    assert.equal(stream?.clients, 1);
    assert.equal(stream?.video, null);
  });

  it('reads several servers and applications, skips nameless streams and reports them', () => {
    const { streams, problems } = parseNginxRtmpStat(fixtureText('nginx-rtmp-multi-app.xml'));
    const streamsByKey = byKey(streams);
    assert.deepEqual([...streamsByKey.keys()], ['live/news&sport', 'live/ch2', 'backup/ch2']);
    assert.equal(streamsByKey.get('live/news&sport')?.bitrateInKbps, 0, 'bw_* reads 0 for the first seconds');
    assert.equal(streamsByKey.get('live/news&sport')?.clients, 0);
    assert.equal(streamsByKey.get('live/ch2')?.clients, 2);
    assert.equal(streamsByKey.get('live/ch2')?.bitrateOutKbps, 36096);
    const trimmed = streamsByKey.get('backup/ch2');
    assert.equal(trimmed?.clients, 2, 'nclients minus the publisher when no client list is given');
    assert.equal(trimmed?.bytesIn, null);
    assert.equal(trimmed?.video, null);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /without a <name>/);
  });

  it('reads the flat meta of nginx-rtmp 1.0.x', () => {
    const [stream] = parseNginxRtmpStat(fixtureText('nginx-rtmp-1.0-flat-meta.xml')).streams;
    assert.deepEqual(stream?.video, { codec: 'H264', width: 720, height: 576, frameRate: 25, profile: 'Main', level: '3.0' });
    assert.deepEqual(stream?.audio, { codec: 'AAC', sampleRateHz: null, channels: null, profile: null });
    assert.equal(stream?.clients, 2);
  });

  it('refuses a cut-short answer rather than showing publishing streams as idle', () => {
    assert.throws(() => parseNginxRtmpStat(fixtureText('nginx-rtmp-truncated.xml')), /cut short/);
  });

  it('refuses a document that is not /stat', () => {
    assert.throws(() => parseNginxRtmpStat('<html><body>Welcome to nginx!</body></html>'), /not an <rtmp> document/);
    assert.throws(() => parseNginxRtmpStat(''), /not an <rtmp> document/);
  });

  it('asks the configured path and explains an HTTP error', async () => {
    const request = { baseUrl: 'http://127.0.0.1:8080', path: '/rtmp-stat', pageSize: 100, maxStreams: 2000, nowMs: 0 };
    const ok = fixtureServer({ 'http://127.0.0.1:8080/rtmp-stat': 'nginx-rtmp-1.1.4-publishing.xml' });
    assert.equal((await nginxRtmpAdapter.listStreams(ok, request)).streams.length, 1);
    assert.deepEqual(ok.asked, ['http://127.0.0.1:8080/rtmp-stat']);
    const denied = fixtureServer({ 'http://127.0.0.1:8080/rtmp-stat': { status: 403, body: 'Forbidden' } });
    await assert.rejects(nginxRtmpAdapter.listStreams(denied, request), /HTTP 403 \(check the credentials/);
  });
});
