import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sideBySideDiff, splitLines } from '../../../../main/core/snapshots/side-by-side-diff';

type Row = [kind: string, left: string | null, right: string | null];
const rows = (left: string, right: string): Row[] =>
  sideBySideDiff(left, right).rows.map((r) => [r.kind, r.left ? `${r.left.line}:${r.left.text}` : null, r.right ? `${r.right.line}:${r.right.text}` : null]);

describe('side-by-side diff', () => {
  const table: [string, string, string, Row[]][] = [
    ['identical texts', 'a\nb\n', 'a\nb\n', [['same', '1:a', '1:a'], ['same', '2:b', '2:b']]],
    ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n', [['same', '1:a', '1:a'], ['changed', '2:b', '2:B'], ['same', '3:c', '3:c']]],
    ['an added line', 'a\nc\n', 'a\nb\nc\n', [['same', '1:a', '1:a'], ['added', null, '2:b'], ['same', '2:c', '3:c']]],
    ['a removed line', 'a\nb\nc\n', 'a\nc\n', [['same', '1:a', '1:a'], ['removed', '2:b', null], ['same', '3:c', '2:c']]],
    ['two lines replaced by three', 'x\n1\n2\ny\n', 'x\nA\nB\nC\ny\n', [
      ['same', '1:x', '1:x'], ['changed', '2:1', '2:A'], ['changed', '3:2', '3:B'], ['added', null, '4:C'], ['same', '4:y', '5:y'],
    ]],
    ['three lines replaced by one', '1\n2\n3\n', 'A\n', [['changed', '1:1', '1:A'], ['removed', '2:2', null], ['removed', '3:3', null]]],
    ['from nothing', '', 'a\n', [['added', null, '1:a']]],
    ['CRLF against LF is not a change', 'a\r\nb\r\n', 'a\nb', [['same', '1:a', '1:a'], ['same', '2:b', '2:b']]],
  ];
  for (const [title, left, right, expected] of table) {
    it(title, () => assert.deepEqual(rows(left, right), expected));
  }

  it('counts the kinds of rows', () => {
    const diff = sideBySideDiff('{\n  "bitrateKbps": 200,\n  "epoch": 0\n}\n', '{\n  "bitrateKbps": 250,\n  "epoch": 0,\n  "x": 1\n}\n');
    assert.deepEqual([diff.changed, diff.added, diff.removed, diff.identical], [2, 1, 0, false]);
    assert.equal(sideBySideDiff('a', 'a').identical, true);
  });

  it('splits lines without inventing a last empty one', () => {
    assert.deepEqual(splitLines('a\nb\n'), ['a', 'b']);
    assert.deepEqual(splitLines('a\n\n'), ['a', '']);
    assert.deepEqual(splitLines(''), []);
  });
});
