import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OriginStream } from '../../../../../agents/protocol';
import { streamChangeEvents } from '../../../../../agents/roles/origin/stream-changes';

function s(name: string, publishing: boolean): OriginStream {
  return { app: 'live', name, publishing, clients: 0, bitrateInKbps: null, bitrateOutKbps: null, uptimeSec: null, video: null, audio: null };
}

describe('stream change events', () => {
  it('says which streams started, stopped or vanished', () => {
    const events = streamChangeEvents([s('a', true), s('b', false), s('c', true), s('d', false)], [s('a', true), s('b', true), s('c', false), s('e', true)], 42);
    assert.deepEqual(events, [
      { at: 42, kind: 'origin.stream-publishing', message: 'live/b is publishing' },
      { at: 42, kind: 'origin.stream-stopped', message: 'live/c stopped publishing' },
      { at: 42, kind: 'origin.stream-publishing', message: 'live/e is publishing' },
    ]);
  });

  it('reports a vanished publishing stream', () => {
    assert.deepEqual(streamChangeEvents([s('a', true)], [], 1), [{ at: 1, kind: 'origin.stream-stopped', message: 'live/a is gone from the server' }]);
  });

  it('summarises a storm', () => {
    const after = Array.from({ length: 100 }, (_, i) => s(`ch${i}`, true));
    const events = streamChangeEvents([], after, 1);
    assert.equal(events.length, 32);
    assert.deepEqual(events.at(-1), { at: 1, kind: 'origin.streams-changed', message: '69 more streams changed state' });
  });
});
