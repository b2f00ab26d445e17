/** Pure: a line-based side-by-side diff of two config versions, rows ready for a two-column view. */
import { diffArrays } from 'diff';
import type { DiffRow, SideBySideDiff } from './snapshot-schemas';

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Removed lines followed by added lines are paired into `changed` rows; the rest stand alone. */
export function sideBySideDiff(leftText: string, rightText: string): SideBySideDiff {
  const rows: DiffRow[] = [];
  let left = 1;
  let right = 1;
  let pendingRemoved: string[] = [];
  const flushRemoved = () => {
    for (const text of pendingRemoved) rows.push({ kind: 'removed', left: { line: left++, text }, right: null });
    pendingRemoved = [];
  };
  for (const change of diffArrays(splitLines(leftText), splitLines(rightText))) {
    if (change.removed) {
      flushRemoved();
      pendingRemoved = change.value;
    } else if (change.added) {
      const paired = Math.min(pendingRemoved.length, change.value.length);
      for (let i = 0; i < paired; i++) rows.push({ kind: 'changed', left: { line: left++, text: pendingRemoved[i]! }, right: { line: right++, text: change.value[i]! } });
      pendingRemoved = pendingRemoved.slice(paired);
      flushRemoved();
      for (const text of change.value.slice(paired)) rows.push({ kind: 'added', left: null, right: { line: right++, text } });
    } else {
      flushRemoved();
      for (const text of change.value) rows.push({ kind: 'same', left: { line: left++, text }, right: { line: right++, text } });
    }
  }
  flushRemoved();
  const count = (kind: DiffRow['kind']) => rows.filter((r) => r.kind === kind).length;
  const added = count('added');
  const removed = count('removed');
  const changed = count('changed');
  return { rows, added, removed, changed, identical: added + removed + changed === 0 };
}
