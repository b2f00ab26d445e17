import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelStatus, HeartbeatMessage } from '../../../../agents/protocol';
import { mergeHeartbeat } from '../../../../main/core/fleet/heartbeat-merge';

const HASH = 'b'.repeat(64);
const ch = (name: string, fps: number): ChannelStatus => ({
  name, state: 'running', reason: null, pid: 7, startedAt: 1, uptimeMs: 10, restarts: 0, nextStartAt: null, lastExit: null,
  lastErrorLine: null, lastOutputAt: 9, lastSegmentAt: null, segmentsCompleted: 0, fps, bitrateKbps: 100, speed: 1,
  configHash: HASH, runningHash: HASH, epoch: 0,
});
const hb = (status: HeartbeatMessage['status']): HeartbeatMessage => ({ type: 'heartbeat', seq: 1, sentAt: 5, status, events: [] });

describe('mergeHeartbeat (the console side of channel deltas)', () => {
  it('a full status passes through and becomes the base', () => {
    const message = hb({ transcoder: { channels: [ch('a', 25)] } });
    const merged = mergeHeartbeat(message, null);
    assert.ok(merged.ok);
    assert.equal(merged.message, message);
    assert.deepEqual(merged.channels, [ch('a', 25)]);
  });

  it('a delta becomes the full status the modules expect, scan list included', () => {
    const scan = { scannedAt: 5, hashes: [{ name: 'a', hash: HASH }] };
    const merged = mergeHeartbeat(hb({ system: undefined, transcoderDelta: { changed: [{ name: 'b', fps: 24 }], scan } }), [ch('a', 25), ch('b', 25)]);
    assert.ok(merged.ok);
    assert.deepEqual(merged.message.status.transcoder, { channels: [ch('a', 25), ch('b', 24)], scan });
    assert.equal('transcoderDelta' in merged.message.status, false);
    assert.deepEqual(merged.channels, [ch('a', 25), ch('b', 24)]);
  });

  it('a heartbeat without transcoder status keeps no base', () => {
    const merged = mergeHeartbeat(hb({}), [ch('a', 25)]);
    assert.ok(merged.ok);
    assert.equal(merged.channels, null);
  });

  it('a delta with no base, or naming an unknown channel, is refused but the heartbeat still counts', () => {
    const none = mergeHeartbeat(hb({ transcoderDelta: { changed: [] } }), null);
    assert.equal(none.ok, false);
    assert.equal(none.message.type, 'heartbeat');
    assert.equal(none.message.status.transcoder, undefined);
    const unknown = mergeHeartbeat(hb({ transcoderDelta: { changed: [{ name: 'zz', fps: 1 }] } }), [ch('a', 25)]);
    assert.equal(unknown.ok, false);
    assert.equal(unknown.channels, null, 'the next full status re-syncs');
  });
});
