import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeartbeatSender } from '../../../../agents/heartbeat-sender';
import {
  AgentMessage,
  applyChannelDelta,
  type ChannelStatus,
  ConsoleMessage,
  diffChannels,
  FULL_CHANNELS_EVERY_MS,
  type HeartbeatMessage,
  parseAgentMessage,
} from '../../../../agents/protocol';
import { simChannels } from '../../../../agents/sim/sim-channels';

const HASH = 'a'.repeat(64);
function channel(name: string, patch: Partial<ChannelStatus> = {}): ChannelStatus {
  return {
    name, state: 'running', reason: null, pid: 100, startedAt: 1000, uptimeMs: 5000, restarts: 0, nextStartAt: null,
    lastExit: null, lastErrorLine: null, lastOutputAt: 5900, lastSegmentAt: 5000, segmentsCompleted: 2, fps: 25,
    bitrateKbps: 2500, speed: 1, configHash: HASH, runningHash: HASH, epoch: 0, ...patch,
  };
}

describe('channel deltas: diff and apply', () => {
  it('a patch carries only the fields that changed, and applying it gives the new list exactly', () => {
    const before = [channel('a'), channel('b'), channel('c')];
    const after = [channel('a', { uptimeMs: 5500, lastOutputAt: 6400 }), channel('b'), channel('c', { state: 'backoff', pid: null, lastExit: { at: 6000, code: 1, signal: null } })];
    const patches = diffChannels(before, after)!;
    assert.deepEqual(patches, [
      { name: 'a', uptimeMs: 5500, lastOutputAt: 6400 },
      { name: 'c', state: 'backoff', pid: null, lastExit: { at: 6000, code: 1, signal: null } },
    ]);
    const objects = [...before];
    const applied = applyChannelDelta(before, patches);
    assert.ok(applied.ok);
    assert.deepEqual(before, after);
    assert.ok(before.every((c, i) => c === objects[i]), 'the channel objects are updated in place, not copied');
  });

  it('nothing changed: no patches, and the list stays as it was', () => {
    const list = [channel('a'), channel('b')];
    assert.deepEqual(diffChannels(list, [channel('a'), channel('b')]), []);
    assert.ok(applyChannelDelta(list, []).ok);
    assert.deepEqual(list, [channel('a'), channel('b')]);
  });

  it('equal lastExit objects are not a change', () => {
    const exit = { at: 1, code: 0, signal: null };
    assert.deepEqual(diffChannels([channel('a', { lastExit: exit })], [channel('a', { lastExit: { ...exit } })]), []);
  });

  it('no previous list, a channel added, removed or reordered: no delta (the full status goes out)', () => {
    assert.equal(diffChannels(null, [channel('a')]), null);
    assert.equal(diffChannels([channel('a')], [channel('a'), channel('b')]), null);
    assert.equal(diffChannels([channel('a'), channel('b')], [channel('a')]), null);
    assert.equal(diffChannels([channel('a'), channel('b')], [channel('b'), channel('a')]), null);
  });

  it('a patch naming an unknown channel is refused, and then nothing at all is applied', () => {
    const list = [channel('a'), channel('b')];
    const applied = applyChannelDelta(list, [{ name: 'b', fps: 1 }, { name: 'zz', fps: 1 }]);
    assert.equal(applied.ok, false);
    assert.deepEqual(list, [channel('a'), channel('b')], 'the patch before the bad one was not applied either');
  });

  it('patches in any order find their channels', () => {
    const list = [channel('a'), channel('b'), channel('c')];
    assert.ok(applyChannelDelta(list, [{ name: 'c', fps: 1 }, { name: 'a', fps: 2 }, { name: 'b', fps: 3 }]).ok);
    assert.deepEqual(list.map((c) => c.fps), [2, 3, 1]);
  });

  it('a delta heartbeat passes the wire schema, patches keep only the fields sent', () => {
    const frame = JSON.stringify({ type: 'heartbeat', seq: 3, sentAt: 1, status: { transcoderDelta: { changed: [{ name: 'a', fps: 24.5, reason: null }] } }, events: [] });
    const parsed = parseAgentMessage(frame);
    assert.ok(parsed.ok && parsed.message.type === 'heartbeat');
    assert.deepEqual(parsed.message.status.transcoderDelta, { changed: [{ name: 'a', fps: 24.5, reason: null }] });
    assert.ok(!AgentMessage.safeParse({ type: 'heartbeat', seq: 1, sentAt: 1, status: { transcoderDelta: { changed: [{ name: 'a', fps: -1 }] } } }).success);
  });

  it('configure: channelDeltas is optional, so older consoles and agents understand each other', () => {
    assert.ok(ConsoleMessage.safeParse({ type: 'configure', heartbeatMs: 500 }).success);
    assert.ok(ConsoleMessage.safeParse({ type: 'configure', heartbeatMs: 500, channelDeltas: true }).success);
  });
});

describe('HeartbeatSender', () => {
  const sims = simChannels(3, 0, 7);
  const beat = (seq: number, now: number, scan = false): HeartbeatMessage => ({
    type: 'heartbeat', seq, sentAt: now, events: [],
    status: { transcoder: { channels: sims.map((c) => c.status(now)), ...(scan ? { scan: { scannedAt: now, hashes: [] } } : {}) } },
  });
  const client = () => {
    const frames: HeartbeatMessage[] = [];
    return { frames, send: (f: string) => void frames.push(JSON.parse(f) as HeartbeatMessage) };
  };

  it('a console that did not ask for deltas always gets the full status (as older consoles expect)', () => {
    const sender = new HeartbeatSender();
    const old = client();
    sender.add(old);
    for (let i = 0; i < 5; i++) sender.send(beat(i, 1000 + i * 500), 1000 + i * 500);
    assert.ok(old.frames.every((f) => f.status.transcoder && !f.status.transcoderDelta));
  });

  it('a console that asked gets a full status first, deltas after, and a full one again every FULL_CHANNELS_EVERY_MS', () => {
    const sender = new HeartbeatSender();
    const c = client();
    sender.add(c);
    sender.setDeltas(c, true);
    const times = [0, 500, 1000, FULL_CHANNELS_EVERY_MS + 1];
    times.forEach((t, i) => sender.send(beat(i, t, i === 2), t));
    assert.deepEqual(c.frames.map((f) => (f.status.transcoder ? 'full' : 'delta')), ['full', 'delta', 'delta', 'full']);
    assert.ok(c.frames[2]!.status.transcoderDelta!.scan, 'the rescan list rides on a delta too');
  });

  it('replaying what a console received gives exactly the statuses the agent had', () => {
    const sender = new HeartbeatSender();
    const full = client();
    const deltas = client();
    sender.add(full);
    sender.add(deltas);
    sender.setDeltas(deltas, true);
    for (let i = 0; i < 30; i++) sender.send(beat(i, 1000 + i * 500), 1000 + i * 500);
    let channels: ChannelStatus[] | null = null;
    deltas.frames.forEach((frame, i) => {
      if (frame.status.transcoder) channels = frame.status.transcoder.channels;
      else {
        assert.ok(applyChannelDelta(channels!, frame.status.transcoderDelta!.changed).ok);
      }
      assert.deepEqual(channels, full.frames[i]!.status.transcoder!.channels, `heartbeat ${i}`);
    });
    const bytes = (frames: HeartbeatMessage[]) => frames.reduce((n, f) => n + JSON.stringify(f).length, 0);
    assert.ok(bytes(deltas.frames) < bytes(full.frames) / 2, 'deltas are much smaller');
  });

  it('a console joining later gets its own full status first, without disturbing the others', () => {
    const sender = new HeartbeatSender();
    const first = client();
    sender.add(first);
    sender.setDeltas(first, true);
    sender.send(beat(0, 0), 0);
    sender.send(beat(1, 500), 500);
    const late = client();
    sender.add(late);
    sender.setDeltas(late, true);
    sender.send(beat(2, 1000), 1000);
    assert.ok(first.frames[2]!.status.transcoderDelta);
    assert.ok(late.frames[0]!.status.transcoder);
  });
});
