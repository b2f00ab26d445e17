/**
 * The transcoder role against real ffmpeg, in real agent processes on 127.0.0.x (run from source through tsx).
 * Every ffmpeg the agents start is tracked and checked gone at the end; every wait is bounded.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import http from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLabAgent, type LabAgent } from '../../agents/lab/lab';
import {
  type ChannelCommandResponse,
  type ChannelConfigInput,
  type ChannelConfigResponse,
  type ChannelListResponse,
  type ChannelStatus,
  type ConfigRefusedBody,
  type HeartbeatMessage,
  type PutChannelConfigResponse,
  transcoderPaths,
} from '../../agents/protocol';
import { type AgentStream, callAgent, openAgentStream, processAlive, waitFor } from './helpers/agent-client';

const FROM_SOURCE = { nodeArgs: ['--import', 'tsx'], agentEntry: 'agents/main.ts' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const encode = (config: unknown) => Buffer.from(`${JSON.stringify(config, null, 2)}\n`);

function testChannel(name: string, patch: Partial<ChannelConfigInput> = {}): ChannelConfigInput {
  return {
    name,
    input: { url: 'lavfi:testsrc2=size=320x180:rate=10[out0];sine=frequency=440:sample_rate=48000[out1]' },
    outputs: [{ type: 'hls', segmentSec: 2, listSize: 4 }],
    video: { preset: 'ultrafast', bitrateKbps: 200 },
    audio: { codec: 'aac', bitrateKbps: 32 },
    ...patch,
  };
}

/** Every ffmpeg pid an agent reported, so none can outlive the test. */
const seenPids = new Set<number>();

function killLeftoverFfmpeg(): number[] {
  const killed: number[] = [];
  for (const pid of seenPids) {
    if (!processAlive(pid)) continue;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('ffmpeg')) continue; // the pid was reused by something that is not ours
    process.kill(pid, 'SIGKILL');
    killed.push(pid);
  }
  return killed;
}

describe('transcoder role with real ffmpeg', { timeout: 240_000 }, () => {
  let dir: string;
  let agent: LabAgent;
  let stream: AgentStream;
  let channelsDir: string;
  let hlsRoot: string;

  const api = <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', urlPath: string, body?: unknown) =>
    callAgent<T>(agent, method, urlPath, body);
  const put = (name: string, bytes: Buffer, ifHash?: string | null) =>
    api<PutChannelConfigResponse & { error?: string }>('PUT', transcoderPaths.config(name), {
      contentBase64: bytes.toString('base64'),
      ...(ifHash !== undefined ? { ifHash } : {}),
    });
  const status = async (name: string): Promise<ChannelStatus | undefined> => {
    const answer = await api<ChannelCommandResponse>('GET', transcoderPaths.channel(name));
    if (answer.status !== 200) return undefined;
    if (answer.body.channel.pid) seenPids.add(answer.body.channel.pid);
    return answer.body.channel;
  };
  const waitForState = (name: string, test: (s: ChannelStatus) => boolean, timeoutMs: number, what: string) =>
    waitFor(async () => {
      const s = await status(name);
      return s && test(s) ? s : undefined;
    }, timeoutMs, `${name}: ${what}`);
  /** A request whose path is sent exactly as written (fetch would normalise it first). */
  const rawRequest = (method: string, rawPath: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const [host, port] = agent.address.split(':');
      const req = http.request({ host, port: Number(port), method, path: rawPath, headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, timeout: 5000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.end(body);
    });
  const channelIn = (hb: HeartbeatMessage, name: string) => hb.status.transcoder?.channels.find((c) => c.name === name);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-transcoder-'));
    channelsDir = path.join(dir, 'tc', 'channels');
    // Quote and space on purpose: outputs go through ffmpeg's own escaping (the tee muxer), never a shell.
    hlsRoot = path.join(dir, "hls root's");
    agent = await startLabAgent(
      {
        name: 'tc',
        ip: '127.0.0.2',
        roles: ['transcoder'],
        heartbeatMs: 250,
        extra: {
          transcoder: {
            channelsDir,
            hlsRoot,
            backoff: { minMs: 300, maxMs: 2000, factor: 2, stableAfterMs: 30_000 },
            stallTimeoutMs: 4000,
            stopTimeoutMs: 2000,
            // Long on purpose: a changed hash must arrive through the folder watch, not the rescan.
            rescanMs: 120_000,
          },
        },
      },
      { dir, ...FROM_SOURCE },
    );
    stream = await openAgentStream(agent);
  });

  after(async () => {
    stream?.close();
    await agent?.stop();
    const killed = killLeftoverFfmpeg();
    if (killed.length) process.stderr.write(`killed leftover ffmpeg processes: ${killed.join(', ')}\n`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a channel from a put config, and HLS segments appear', async () => {
    const bytes = encode(testChannel('alpha'));
    const answer = await put('alpha', bytes);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.hash, sha256(bytes));
    assert.deepEqual(readFileSync(path.join(channelsDir, 'alpha.json')), bytes, 'the file on the host is the bytes sent');
    const running = await waitForState('alpha', (s) => s.state === 'running' && s.segmentsCompleted >= 1, 15_000, 'running with a segment');
    const folder = path.join(hlsRoot, 'alpha');
    const segments = readdirSync(folder).filter((f) => f.endsWith('.ts'));
    assert.ok(segments.length >= 1, `segments in ${folder}: ${readdirSync(folder).join(', ')}`);
    assert.match(readFileSync(path.join(folder, 'index.m3u8'), 'utf8'), /#EXTINF:2\.0/);
    assert.equal(running.configHash, sha256(bytes));
    assert.equal(running.runningHash, sha256(bytes));
    assert.ok(running.fps !== null && running.fps > 5, `fps ${running.fps}`);
    assert.ok(running.speed !== null && running.speed > 0.5, `speed ${running.speed}`);
    assert.ok(running.lastOutputAt !== null && Date.now() - running.lastOutputAt < 3000);
    const withBitrate = await waitForState('alpha', (s) => s.bitrateKbps !== null, 10_000, 'a measured bitrate');
    assert.ok(withBitrate.bitrateKbps! > 100 && withBitrate.bitrateKbps! < 1000, `bitrate ${withBitrate.bitrateKbps} kbps`);
  });

  it('restarts a channel whose ffmpeg is killed', async () => {
    const before = (await status('alpha'))!;
    assert.ok(before.pid);
    process.kill(before.pid, 'SIGKILL');
    const after = await waitForState('alpha', (s) => s.restarts >= 1 && s.state === 'running' && s.pid !== before.pid, 15_000, 'restarted');
    assert.equal(after.lastExit?.signal, 'SIGKILL');
    assert.ok(!processAlive(before.pid));
    await stream.waitForEvent((e) => e.kind === 'channel.exited' && e.message.includes('alpha'), 5000, 'a channel.exited event');
  });

  it('reports an edit of a channel file on the host at once, and runs the new version', async () => {
    const before = (await status('alpha'))!;
    const edited = encode(testChannel('alpha', { video: { preset: 'ultrafast', bitrateKbps: 250 } }));
    const editedAt = Date.now();
    writeFileSync(path.join(channelsDir, 'alpha.json'), edited); // in place, as an editor on the host would
    const hb = await stream.waitForHeartbeat((h) => channelIn(h, 'alpha')?.configHash === sha256(edited), 3000, 'the new hash on a heartbeat');
    const latencyMs = hb.sentAt - editedAt;
    assert.ok(latencyMs < 1000, `the changed hash was on the stream after ${latencyMs} ms`);
    const event = await stream.waitForEvent((e) => e.kind === 'channel.config-changed' && e.message.includes('alpha'), 3000, 'a config-changed event');
    assert.match(event.message, new RegExp(sha256(edited).slice(0, 12)));
    const after = await waitForState('alpha', (s) => s.runningHash === sha256(edited) && s.state === 'running', 10_000, 'running the edited config');
    assert.notEqual(after.pid, before.pid, 'a changed encoder setting restarts ffmpeg');
    assert.equal(after.restarts, before.restarts, 'a deliberate restart is not counted as a failure');
  });

  it('puts a corrupt channel in config-error and disturbs nothing else', async () => {
    const betaBytes = encode(testChannel('beta'));
    assert.equal((await put('beta', betaBytes)).status, 201);
    const betaRunning = await waitForState('beta', (s) => s.state === 'running', 15_000, 'running');
    const alphaBefore = (await status('alpha'))!;

    writeFileSync(path.join(channelsDir, 'beta.json'), '{"name": "beta", "input": ');
    const broken = await waitForState('beta', (s) => s.state === 'config-error', 5000, 'config-error');
    assert.match(broken.reason ?? '', /not JSON/);
    assert.match(broken.reason ?? '', /still running the last good version/);
    assert.equal(broken.pid, betaRunning.pid, 'a typo on the host does not take the channel off air');
    assert.equal(broken.runningHash, sha256(betaBytes));
    assert.equal(broken.configHash, sha256(Buffer.from('{"name": "beta", "input": ')));
    await stream.waitForEvent((e) => e.kind === 'channel.config-error' && e.message.includes('beta'), 3000, 'a config-error event');

    const alphaAfter = (await status('alpha'))!;
    assert.equal(alphaAfter.state, 'running');
    assert.equal(alphaAfter.pid, alphaBefore.pid);
    assert.equal(alphaAfter.restarts, alphaBefore.restarts);

    writeFileSync(path.join(channelsDir, 'beta.json'), betaBytes);
    const fixed = await waitForState('beta', (s) => s.state === 'running' && s.configHash === sha256(betaBytes), 5000, 'fixed');
    assert.equal(fixed.pid, betaRunning.pid, 'the same config again needs no restart');
  });

  it('stops and starts a channel; a stop is kept on disk', async () => {
    const running = (await status('alpha'))!;
    const stopped = await api<ChannelCommandResponse>('POST', transcoderPaths.stop('alpha'));
    assert.equal(stopped.status, 200);
    assert.equal(stopped.body.channel.state, 'stopped');
    assert.equal(stopped.body.channel.pid, null);
    await waitFor(() => !processAlive(running.pid!), 5000, 'the old ffmpeg to be gone');
    assert.deepEqual(JSON.parse(readFileSync(path.join(channelsDir, '.stopped-channels.json'), 'utf8')), { stopped: ['alpha'] });
    await stream.waitForEvent((e) => e.kind === 'channel.stopped' && e.message.includes('alpha'), 3000, 'a stopped event');

    const started = await api<ChannelCommandResponse>('POST', transcoderPaths.start('alpha'));
    assert.equal(started.status, 200);
    assert.ok(started.body.channel.pid);
    await waitForState('alpha', (s) => s.state === 'running', 10_000, 'running again');
    assert.deepEqual(JSON.parse(readFileSync(path.join(channelsDir, '.stopped-channels.json'), 'utf8')), { stopped: [] });
  });

  it('removes a channel: ffmpeg stopped, file deleted', async () => {
    const beta = (await status('beta'))!;
    const removed = await api('DELETE', transcoderPaths.channel('beta'));
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body, { name: 'beta', removed: true, hash: beta.configHash });
    assert.equal(existsSync(path.join(channelsDir, 'beta.json')), false);
    await waitFor(() => !processAlive(beta.pid!), 5000, 'beta ffmpeg gone');
    const list = await api<ChannelListResponse>('GET', transcoderPaths.channels);
    assert.deepEqual(list.body.channels.map((c) => c.name), ['alpha']);
    assert.equal((await api('DELETE', transcoderPaths.channel('beta'))).status, 404);
    assert.equal((await api('POST', transcoderPaths.start('beta'))).status, 404);
  });

  it('serves the raw bytes of a config with their hash, and honours ifHash', async () => {
    const onDisk = readFileSync(path.join(channelsDir, 'alpha.json'));
    const got = await api<ChannelConfigResponse>('GET', transcoderPaths.config('alpha'));
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(got.body.contentBase64, 'base64'), onDisk);
    assert.equal(got.body.hash, sha256(onDisk));

    const next = encode(testChannel('alpha', { epoch: 3, video: { preset: 'ultrafast', bitrateKbps: 250 } }));
    const stale = await put('alpha', next, 'f'.repeat(64));
    assert.equal(stale.status, 409);
    assert.match(stale.body.error ?? '', /changed on the host/);
    assert.equal((await put('alpha', next, null)).status, 409, 'ifHash null means "only if it does not exist"');
    const fresh = await put('alpha', next, got.body.hash);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.channel.epoch, 3);
    assert.equal(fresh.body.channel.runningHash, sha256(next), 'only the epoch changed: same ffmpeg, new hash');
  });

  it('refuses a config that does not validate, saying which field', async () => {
    const bad = encode({ ...testChannel('gamma'), video: { bitrateKbps: 'lots' } });
    const answer = await put('gamma', bad);
    assert.equal(answer.status, 400);
    const body = answer.body as unknown as ConfigRefusedBody;
    assert.ok(body.issues.some((i) => i.path === 'video.bitrateKbps'), JSON.stringify(body));
    assert.equal(existsSync(path.join(channelsDir, 'gamma.json')), false);
  });

  it('refuses hostile channel names with 400 and writes nothing outside the folder', async () => {
    const outside = readdirSync(dir).sort();
    const hostile = ['..%2F..%2Fescaped', '%2Fetc%2Fpasswd', '..%2F', 'a%00b', 'x'.repeat(65), '.hidden', 'a%5Cb', '-rf', 'a..b'];
    const bytes = encode(testChannel('alpha'));
    for (const name of hostile) {
      const answers = await Promise.all([
        api('PUT', `/v1/transcoder/config/${name}`, { contentBase64: bytes.toString('base64') }),
        api('GET', `/v1/transcoder/config/${name}`),
        api('POST', `/v1/transcoder/start/${name}`),
        api('POST', `/v1/transcoder/stop/${name}`),
        api('DELETE', `/v1/transcoder/channels/${name}`),
      ]);
      for (const a of answers) {
        assert.equal(a.status, 400, `${name}: ${JSON.stringify(a.body)}`);
        assert.match(String(a.body.error), /refused channel name/);
      }
    }
    const rawSlash = await api('PUT', '/v1/transcoder/config/a/b', { contentBase64: bytes.toString('base64') });
    assert.equal(rawSlash.status, 404, 'a raw slash is not a channel path at all');
    // A bare ".." segment is resolved by the URL parser before any route sees it: it cannot name a channel.
    const dotDot = await rawRequest('PUT', '/v1/transcoder/config/..', JSON.stringify({ contentBase64: bytes.toString('base64') }));
    assert.equal(dotDot, 404);
    assert.deepEqual(readdirSync(dir).sort(), outside);
    assert.deepEqual(readdirSync(channelsDir).filter((f) => !f.startsWith('.')), ['alpha.json']);
    assert.equal((await api('GET', '/v1/info')).status, 200, 'the agent keeps running');
  });

  it('refuses oversized configs with 413, and keeps running', async () => {
    const padded = Buffer.concat([encode(testChannel('big')), Buffer.alloc(70 * 1024, 0x20)]);
    const overRole = await put('big', padded);
    assert.equal(overRole.status, 413);
    assert.match(overRole.body.error ?? '', /over this agent's 65536-byte limit/);
    const overAgent = await api('PUT', transcoderPaths.config('big'), { contentBase64: 'A'.repeat(400 * 1024) });
    assert.equal(overAgent.status, 413);
    assert.equal(existsSync(path.join(channelsDir, 'big.json')), false);
    assert.equal((await api('GET', '/v1/info')).status, 200);
    assert.equal((await status('alpha'))?.state, 'running');
  });

  it('encodes once for several outputs: HLS and MPEG-TS over UDP to loopback', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    let packets = 0;
    let syncBytes = 0;
    socket.on('message', (msg) => {
      packets++;
      if (msg[0] === 0x47) syncBytes++;
    });
    try {
      const config = testChannel('multi', { outputs: [{ type: 'hls', folder: 'multi-hls' }, { type: 'udp', url: `udp://127.0.0.1:${port}` }] });
      assert.equal((await put('multi', encode(config))).status, 201);
      await waitForState('multi', (s) => s.state === 'running' && s.segmentsCompleted >= 1, 15_000, 'running with a segment');
      await waitFor(() => packets >= 20, 5000, 'MPEG-TS packets on the UDP port');
      assert.equal(syncBytes, packets, 'every datagram starts with the MPEG-TS sync byte');
      assert.ok(readdirSync(path.join(hlsRoot, 'multi-hls')).some((f) => f.endsWith('.ts')));
    } finally {
      socket.close();
    }
    assert.equal((await api('DELETE', transcoderPaths.channel('multi'))).status, 200);
  });

  it('kills and restarts an ffmpeg whose input never delivers', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const port = silent.address().port;
    silent.close(); // nothing will ever send to this port
    const config = testChannel('silent', { input: { url: `udp://127.0.0.1:${port}` }, outputs: [{ type: 'hls' }] });
    assert.equal((await put('silent', encode(config))).status, 201);
    const stalled = await waitForState('silent', (s) => s.restarts >= 1, 15_000, 'restarted after a stall');
    assert.match(stalled.lastErrorLine ?? '', /no output from ffmpeg for \d+ s/);
    await stream.waitForEvent((e) => e.kind === 'channel.stalled' && e.message.includes('silent'), 3000, 'a stalled event');
    assert.equal((await api('DELETE', transcoderPaths.channel('silent'))).status, 200);
  });

  it('sent only frames the console accepts', () => {
    assert.deepEqual(stream.rejected, []);
    assert.ok(stream.heartbeats.length > 10);
  });

  it('stops every ffmpeg when the agent stops', async () => {
    const alpha = (await status('alpha'))!;
    assert.ok(alpha.pid);
    await agent.stop();
    await waitFor(() => [...seenPids].every((pid) => !processAlive(pid)), 5000, 'every ffmpeg gone');
  });
});

describe('transcoder role: boot, rescan and a missing ffmpeg', { timeout: 60_000 }, () => {
  let dir: string;
  let agent: LabAgent | undefined;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-transcoder-boot-'));
  });
  after(async () => {
    await agent?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('boots with the files it finds, keeps stopped channels stopped, backs off without ffmpeg, and lists every hash', async () => {
    const channelsDir = path.join(dir, 'scan', 'channels');
    mkdirSync(channelsDir, { recursive: true });
    const parked = encode(testChannel('parked'));
    const doomed = encode(testChannel('doomed'));
    writeFileSync(path.join(channelsDir, 'parked.json'), parked);
    writeFileSync(path.join(channelsDir, 'doomed.json'), doomed);
    writeFileSync(path.join(channelsDir, '.stopped-channels.json'), JSON.stringify({ stopped: ['parked'] }));
    agent = await startLabAgent(
      {
        name: 'scan',
        ip: '127.0.0.3',
        roles: ['transcoder'],
        heartbeatMs: 200,
        extra: {
          transcoder: {
            channelsDir,
            hlsRoot: path.join(dir, 'hls'),
            ffmpegPath: '/nonexistent/ffmpeg',
            backoff: { minMs: 200, maxMs: 800, factor: 2 },
            rescanMs: 500,
          },
        },
      },
      { dir, ...FROM_SOURCE },
    );
    const stream = await openAgentStream(agent);
    try {
      const scans = await waitFor(() => {
        const found = stream.heartbeats.filter((h) => h.status.transcoder?.scan);
        return found.length >= 2 ? found : undefined;
      }, 5000, 'two periodic hash lists');
      assert.deepEqual(scans.at(-1)!.status.transcoder!.scan!.hashes, [
        { name: 'doomed', hash: sha256(doomed) },
        { name: 'parked', hash: sha256(parked) },
      ]);
      assert.ok(scans.at(-1)!.status.transcoder!.scan!.scannedAt > scans[0]!.status.transcoder!.scan!.scannedAt);

      const last = () => stream.heartbeats.at(-1)!.status.transcoder!.channels;
      await waitFor(() => (last().find((c) => c.name === 'doomed')?.restarts ?? 0) >= 2, 5000, 'doomed to keep retrying');
      const doomedNow = last().find((c) => c.name === 'doomed')!;
      assert.match(doomedNow.lastErrorLine ?? '', /cannot run \/nonexistent\/ffmpeg: .*ENOENT/);
      assert.ok(['backoff', 'starting'].includes(doomedNow.state), doomedNow.state);
      const parkedNow = last().find((c) => c.name === 'parked')!;
      assert.equal(parkedNow.state, 'stopped');
      assert.equal(parkedNow.restarts, 0);
      assert.deepEqual(stream.rejected, []);
    } finally {
      stream.close();
    }
  });
});

describe('transcoder role: an agent killed outright', { timeout: 60_000 }, () => {
  let dir: string;
  let agent: LabAgent | undefined;
  const pids: number[] = [];

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-transcoder-kill-'));
  });
  after(async () => {
    await agent?.stop();
    for (const pid of pids) {
      if (processAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ffmpeg')) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes its ffmpeg with it, so no orphan broadcasts beside a failover', async () => {
    const channelsDir = path.join(dir, 'kill', 'channels');
    mkdirSync(channelsDir, { recursive: true });
    writeFileSync(path.join(channelsDir, 'orphan.json'), encode(testChannel('orphan')));
    agent = await startLabAgent(
      { name: 'kill', ip: '127.0.0.5', roles: ['transcoder'], extra: { transcoder: { channelsDir, hlsRoot: path.join(dir, 'hls') } } },
      { dir, ...FROM_SOURCE },
    );
    const target = agent;
    const running = await waitFor(async () => {
      const list = await callAgent<ChannelListResponse>(target, 'GET', transcoderPaths.channels);
      const channel = list.body.channels[0];
      return channel?.state === 'running' ? channel : undefined;
    }, 15_000, 'orphan running');
    pids.push(running.pid!);
    assert.match(readFileSync(`/proc/${running.pid}/cmdline`, 'utf8'), /ffmpeg/);
    target.process.kill('SIGKILL');
    await waitFor(() => !processAlive(running.pid!), 3000, 'ffmpeg to die with its agent');
  });
});
