import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyStderrLine, isProblem, segmentPath } from '../../../../../agents/roles/transcoder/stderr-lines';

describe('ffmpeg stderr lines', () => {
  const lines: [string, string, string, string | null][] = [
    ["[hls @ 0x55e4f6db7740] [info] Opening '/srv/hls/one/seg-00000.ts.tmp' for writing", 'info', "[hls @ 0x55e4f6db7740] Opening '/srv/hls/one/seg-00000.ts.tmp' for writing", '/srv/hls/one/seg-00000.ts.tmp'],
    ['[error] udp://239.1.1.1:1234: Connection refused', 'error', 'udp://239.1.1.1:1234: Connection refused', null],
    ['[tcp @ 0x1] [warning] Connection to tcp://origin:1935 failed', 'warning', '[tcp @ 0x1] Connection to tcp://origin:1935 failed', null],
    ['[fatal] Invalid argument', 'fatal', 'Invalid argument', null],
    ['a line without a level tag\r', 'unknown', 'a line without a level tag', null],
  ];
  for (const [raw, level, text, opened] of lines) {
    it(`reads ${JSON.stringify(raw.slice(0, 40))}`, () => {
      const line = classifyStderrLine(raw);
      assert.equal(line.level, level);
      assert.equal(line.text, text);
      assert.equal(line.openedForWriting, opened);
    });
  }

  it('cuts very long lines to the wire limit', () => {
    assert.equal(classifyStderrLine(`[error] ${'x'.repeat(5000)}`).text.length, 512);
  });

  it('counts warnings and worse as problems', () => {
    assert.deepEqual(
      (['panic', 'fatal', 'error', 'warning', 'info', 'verbose', 'unknown'] as const).map(isProblem),
      [true, true, true, true, false, false, false],
    );
  });

  const segments: [string, string | null][] = [
    ['/h/seg-00001.ts.tmp', '/h/seg-00001.ts'],
    ['/h/seg-00001.ts', '/h/seg-00001.ts'],
    ['/h/seg-1.m4s', '/h/seg-1.m4s'],
    ['/h/index.m3u8.tmp', null],
    ['/h/index.m3u8', null],
  ];
  for (const [opened, segment] of segments) {
    it(`${opened} is ${segment ? 'a segment' : 'not a segment'}`, () => assert.equal(segmentPath(opened), segment));
  }
});
