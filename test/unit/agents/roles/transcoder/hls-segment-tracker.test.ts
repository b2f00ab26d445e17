import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HlsSegmentTracker } from '../../../../../agents/roles/transcoder/hls-segment-tracker';

describe('HLS segment tracker', () => {
  it('completes a segment when the playlist is rewritten after it (temp_file order, as captured)', () => {
    const tracker = new HlsSegmentTracker();
    const opened = [
      '/hls/news/seg-00000.ts.tmp',
      '/hls/news/index.m3u8.tmp',
      '/hls/news/seg-00001.ts.tmp',
      '/hls/news/index.m3u8.tmp',
      '/hls/news/index.m3u8.tmp', // the final rewrite at exit completes nothing new
    ].map((f) => tracker.opened(f));
    assert.deepEqual(opened, [null, '/hls/news/seg-00000.ts', null, '/hls/news/seg-00001.ts', null]);
  });

  it('completes a segment without temp_file too (segment opened at its start)', () => {
    const tracker = new HlsSegmentTracker();
    assert.deepEqual(['/h/a/seg-0.ts', '/h/a/index.m3u8', '/h/a/seg-1.ts'].map((f) => tracker.opened(f)), [null, '/h/a/seg-0.ts', null]);
  });

  it('keeps folders apart', () => {
    const tracker = new HlsSegmentTracker();
    tracker.opened('/h/a/seg-0.ts');
    tracker.opened('/h/b/seg-7.ts');
    assert.equal(tracker.opened('/h/b/index.m3u8'), '/h/b/seg-7.ts');
    assert.equal(tracker.opened('/h/a/index.m3u8'), '/h/a/seg-0.ts');
  });

  it('ignores files that are neither segments nor playlists', () => {
    assert.equal(new HlsSegmentTracker().opened('/h/a/init.txt'), null);
  });

  const bitrates: [string, [number, number][], (number | null)[]][] = [
    ['needs two segments', [[0, 50_000]], [null]],
    ['50 kB every 2 s is 200 kbit/s', [[0, 50_000], [2000, 50_000], [4000, 50_000]], [null, 200, 200]],
    ['averages over the window', [[0, 1], [2000, 25_000], [4000, 75_000]], [null, 100, 200]],
    ['forgets segments beyond six', [[0, 1], [1000, 1000], [2000, 1000], [3000, 1000], [4000, 1000], [5000, 1000], [6000, 100_000]], [null, 8, 8, 8, 8, 8, Math.round(((4 * 1000 + 100_000) * 8) / 5000)]],
  ];
  for (const [title, segments, expected] of bitrates) {
    it(`bitrate: ${title}`, () => {
      const tracker = new HlsSegmentTracker();
      assert.deepEqual(segments.map(([at, bytes]) => tracker.sized('/h/a/seg.ts', at, bytes)), expected);
    });
  }
});
