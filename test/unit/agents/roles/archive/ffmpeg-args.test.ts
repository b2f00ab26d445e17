import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSegmentList, recorderArgs } from '../../../../../agents/roles/archive/ffmpeg-args';

test('recorderArgs: copy into the segment muxer with a CSV list; the input is one argument, never shell text', () => {
  const input = 'udp://127.0.0.1:5000?fifo_size=100000; rm -rf /';
  const args = recorderArgs({ input, segmentSeconds: 2, listPath: '/a/segments.csv', outputPattern: '/a/%09d.ts' });
  assert.equal(args[args.indexOf('-i') + 1], input);
  assert.equal(args[args.indexOf('-segment_time') + 1], '2');
  assert.equal(args[args.indexOf('-segment_list_type') + 1], 'csv');
  assert.equal(args[args.indexOf('-c') + 1], 'copy');
  assert.equal(args[args.length - 1], '/a/%09d.ts');
});

test('parseSegmentList: complete lines become segments; odd lines are problems', () => {
  const { segments, problems } = parseSegmentList('000000000.ts,0.000000,2.680000\n000000001.ts,2.680000,4.680000\n../x.ts,1,2\nbad\n');
  assert.deepEqual(segments, [
    { file: '000000000.ts', startSec: 0, endSec: 2.68 },
    { file: '000000001.ts', startSec: 2.68, endSec: 4.68 },
  ]);
  assert.equal(problems.length, 2);
});
