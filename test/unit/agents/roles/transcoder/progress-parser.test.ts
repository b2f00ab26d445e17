import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLineSplitter } from '../../../../../agents/roles/transcoder/line-splitter';
import { createProgressReader, parseProgressBlock, type ProgressReport } from '../../../../../agents/roles/transcoder/progress-parser';

/** Captured from ffmpeg 5.1 with `-progress pipe:1` (HLS output: bitrate and size are N/A). */
const CAPTURED = `frame=1
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=N/A
out_time_us=0
out_time_ms=0
out_time=00:00:00.000000
dup_frames=0
drop_frames=0
speed=   0x
progress=continue
frame=26
fps=25.09
stream_0_0_q=30.0
bitrate= 331.2kbits/s
total_size=39668
out_time_us=960000
out_time_ms=960000
out_time=00:00:00.960000
dup_frames=0
drop_frames=2
speed=0.891x
progress=continue
frame=122
fps=25.09
bitrate=N/A
total_size=N/A
out_time_us=4880000
speed=   1x
progress=end
`;

describe('progress parser', () => {
  it('turns each block of captured output into one report', () => {
    const read = createProgressReader();
    const reports = CAPTURED.split('\n').map(read).filter((r): r is ProgressReport => r !== null);
    assert.equal(reports.length, 3);
    assert.deepEqual(reports[0], {
      frame: 1, fps: 0, bitrateKbps: null, totalSizeBytes: null, outTimeUs: 0, speed: 0, dropFrames: 0, dupFrames: 0, ended: false,
    });
    assert.deepEqual(reports[1], {
      frame: 26, fps: 25.09, bitrateKbps: 331.2, totalSizeBytes: 39668, outTimeUs: 960000, speed: 0.891, dropFrames: 2, dupFrames: 0, ended: false,
    });
    assert.equal(reports[2]!.ended, true);
    assert.equal(reports[2]!.speed, 1);
    assert.equal(reports[2]!.dupFrames, null, 'a key missing from a block is null, not carried over');
  });

  const values: [string, Record<string, string>, Partial<ProgressReport>][] = [
    ['N/A everywhere', { bitrate: 'N/A', speed: 'N/A', fps: 'N/A', total_size: 'N/A' }, { bitrateKbps: null, speed: null, fps: null, totalSizeBytes: null }],
    ['a negative out time (no output yet)', { out_time_us: '-9223372036854775807' }, { outTimeUs: null }],
    ['older ffmpeg: out_time_ms only', { out_time_ms: '2000000' }, { outTimeUs: 2000000 }],
    ['bitrate in another unit', { bitrate: '1.2mbits/s' }, { bitrateKbps: null }],
    ['garbage numbers', { frame: '12abc', fps: 'nan', speed: 'fastx' }, { frame: null, fps: null, speed: null }],
    ['padding spaces', { speed: '   2.5x', bitrate: '  1500.0kbits/s' }, { speed: 2.5, bitrateKbps: 1500 }],
  ];
  for (const [title, fields, expected] of values) {
    it(`reads ${title}`, () => {
      const report = parseProgressBlock(new Map(Object.entries(fields)));
      for (const [key, value] of Object.entries(expected)) assert.equal(report[key as keyof ProgressReport], value, key);
    });
  }

  it('ignores lines that are not key=value', () => {
    const read = createProgressReader();
    for (const line of ['', 'garbage', '=nokey', 'frame=3']) assert.equal(read(line), null);
    assert.equal(read('progress=continue')?.frame, 3);
  });
});

describe('line splitter', () => {
  const table: [string, string[], string[]][] = [
    ['lines split across chunks', ['fra', 'me=1\nfps=2', '5\n'], ['frame=1', 'fps=25']],
    ['several lines in one chunk', ['a\nb\nc\n'], ['a', 'b', 'c']],
    ['an unfinished last line waits', ['a\nb'], ['a']],
    ['empty lines are lines', ['\n\n'], ['', '']],
  ];
  for (const [title, chunks, lines] of table) {
    it(title, () => {
      const seen: string[] = [];
      const push = createLineSplitter((line) => seen.push(line));
      for (const chunk of chunks) push(chunk);
      assert.deepEqual(seen, lines);
    });
  }

  it('cuts a runaway line instead of buffering it forever', () => {
    const seen: string[] = [];
    const push = createLineSplitter((line) => seen.push(line), 10);
    push('x'.repeat(25));
    push('y\n');
    assert.deepEqual(seen, ['x'.repeat(10), 'y']);
  });
});
