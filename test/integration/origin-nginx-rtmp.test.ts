/**
 * The origin role against a real nginx with libnginx-mod-rtmp on loopback, fed by a real ffmpeg publisher: first the
 * adapter on the real /stat, then a real agent process reporting over its heartbeat stream, then what it reports when
 * the publisher stops and when nginx goes away.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startLabAgent, type LabAgent } from '../../agents/lab/lab';
import { type NginxRtmpOrigin, nginxRtmpMissing, startNginxRtmp, startTestPublisher, type TestPublisher } from '../../agents/lab/origins-lab';
import { type AgentEvent, type HeartbeatMessage, parseAgentMessage, STREAM_PATH } from '../../agents/protocol';
import { createHttpGet } from '../../agents/roles/origin/http-client';
import { nginxRtmpAdapter } from '../../agents/roles/origin/nginx-rtmp-adapter';
import { waitFor } from './helpers/wait-for';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function whyNot(): string | null {
  const missing = nginxRtmpMissing();
  if (missing) return missing;
  const ffmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (ffmpeg.error || ffmpeg.status !== 0) return `ffmpeg cannot run (${ffmpeg.error?.message ?? `exit ${ffmpeg.status}`})`;
  return null;
}

const skip = whyNot();
if (skip) console.log(`# origin-nginx-rtmp skipped: ${skip}`);

describe('origin role against a real nginx-rtmp', { skip: skip ?? false }, () => {
  let dir: string;
  let origin: NginxRtmpOrigin | undefined;
  let publisher: TestPublisher | undefined;
  let agent: LabAgent | undefined;
  let ws: WebSocket | undefined;
  let latest: HeartbeatMessage | undefined;
  const events: AgentEvent[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-origin-it-'));
    origin = await startNginxRtmp({ name: 'nginx-it' }, { dir });
    publisher = startTestPublisher(origin.rtmpUrl('live', 'itest'));
  });

  after(async () => {
    ws?.terminate();
    await publisher?.stop();
    await agent?.stop();
    await origin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the adapter reads the real /stat: the stream is publishing, with its tracks', async () => {
    const get = createHttpGet({ timeoutMs: 2000 });
    const request = { baseUrl: origin!.apiUrl, path: '/stat', pageSize: 100, maxStreams: 100, nowMs: Date.now() };
    const stream = await waitFor(
      `live/itest publishing on ${origin!.apiUrl} (ffmpeg: ${publisher!.stderrTail() || 'quiet'})`,
      async () => (await nginxRtmpAdapter.listStreams(get, request)).streams.find((s) => s.name === 'itest' && s.publishing && s.video),
      15_000,
    );
    assert.equal(stream.app, 'live');
    assert.equal(stream.clients, 0);
    assert.deepEqual([stream.video?.codec, stream.video?.width, stream.video?.height], ['H264', 320, 180]);
    assert.equal(stream.audio?.codec, 'AAC');
    assert.ok((stream.bytesIn ?? 0) > 0, 'nginx counts the bytes coming in');
  });

  it('a real agent with the origin role reports it publishing with a bitrate on its heartbeats', async () => {
    agent = await startLabAgent(
      { name: 'origin-agent', ip: '127.0.0.1', roles: ['origin'], heartbeatMs: 250, extra: origin!.agentConfig(500) },
      { dir, agentEntry: path.join(repo, 'agents/main.ts'), nodeArgs: ['--import', 'tsx'] },
    );
    ws = new WebSocket(`ws://${agent.address}${STREAM_PATH}`, { headers: { authorization: `Bearer ${agent.token}` } });
    ws.on('message', (data) => {
      const parsed = parseAgentMessage(data.toString());
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      if (parsed.message.type !== 'heartbeat') return;
      latest = parsed.message;
      events.push(...parsed.message.events);
    });
    const stream = await waitFor(
      'a heartbeat with live/itest publishing and a bitrate',
      () => latest?.status.origin?.streams.find((s) => s.name === 'itest' && s.publishing && (s.bitrateInKbps ?? 0) > 0),
      20_000,
    );
    const report = latest!.status.origin!;
    assert.equal(report.server, 'nginx-rtmp');
    assert.equal(report.state, 'ok');
    assert.equal(report.apiUrl, `${origin!.apiUrl}/stat`);
    assert.ok(stream.bitrateInKbps! > 50 && stream.bitrateInKbps! < 5000, `a plausible bitrate for a 300 kbit/s test stream: ${stream.bitrateInKbps}`);
    assert.equal(stream.video?.codec, 'H264');
  });

  it('reports the publisher leaving, then nginx going away, as states and events', async () => {
    await publisher!.stop();
    await waitFor('live/itest no longer publishing', () => {
      const streams = latest?.status.origin?.streams ?? [];
      return streams.some((s) => s.name === 'itest' && s.publishing) ? undefined : true;
    }, 10_000);
    await waitFor('an origin.stream-stopped event', () => events.find((e) => e.kind === 'origin.stream-stopped'), 5000);

    await origin!.stop();
    const report = await waitFor('the origin report in state error', () => (latest?.status.origin?.state === 'error' ? latest.status.origin : undefined), 10_000);
    assert.match(report.error ?? '', /cannot be reached|did not answer/);
    await waitFor('an origin.api-down event', () => events.find((e) => e.kind === 'origin.api-down'), 5000);
    assert.ok(agent!.process.exitCode === null, 'the agent keeps running');
  });
});
