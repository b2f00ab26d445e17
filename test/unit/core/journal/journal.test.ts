import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Journal } from '../../../../main/core/journal/journal';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'tally-journal-'));
  dirs.push(d);
  return d;
}

describe('journal', () => {
  it('has every line in the file when append returns, and flushed() resolves once a burst is on disk', async () => {
    const dir = tmp();
    const j = new Journal(dir, () => Date.UTC(2026, 10, 22, 8, 0, 0));
    for (let i = 0; i < 1000; i++) j.append({ kind: 'channels.snapshot', message: `first snapshot ${i}` });
    // Written, not only queued: a console killed right now would leave all of them in the file.
    assert.equal(readFileSync(path.join(dir, '2026-11-22.jsonl'), 'utf8').trim().split('\n').length, 1000);
    await j.flushed();
    j.append({ kind: 'note', message: 'one more' });
    await j.flushed();
    await j.flushed(); // nothing pending: resolves at once
    j.close();
    assert.equal(readFileSync(path.join(dir, '2026-11-22.jsonl'), 'utf8').trim().split('\n').length, 1001);
  });

  it('appends JSON lines to one file per UTC day', () => {
    const dir = tmp();
    let now = Date.UTC(2026, 10, 21, 23, 59, 0);
    const j = new Journal(dir, () => now);
    j.append({ kind: 'note', message: 'late shift', operator: 'ana' });
    now = Date.UTC(2026, 10, 22, 0, 1, 0);
    j.append({ kind: 'host.health', severity: 'critical', message: 'tc-1 is down', hostId: 'h1' });
    j.close();
    assert.deepEqual(readdirSync(dir).sort(), ['2026-11-21.jsonl', '2026-11-22.jsonl']);
    const line = JSON.parse(readFileSync(path.join(dir, '2026-11-22.jsonl'), 'utf8').trim());
    assert.equal(line.message, 'tc-1 is down');
    assert.equal(line.severity, 'critical');
  });

  it('reloads recent entries after a restart and counts damaged lines', () => {
    const dir = tmp();
    const now = Date.UTC(2026, 10, 22, 8);
    const a = new Journal(dir, () => now);
    const first = a.append({ kind: 'note', message: 'one' });
    a.append({ kind: 'note', message: 'two' });
    a.close();
    appendFileSync(path.join(dir, '2026-11-22.jsonl'), '{"torn": \n');
    const b = new Journal(dir, () => now);
    assert.deepEqual(b.recent(10).map((e) => e.message), ['one', 'two']);
    const read = b.read(now - 1000, now + 1000);
    assert.equal(read.entries.length, 2);
    assert.equal(read.damagedLines, 1);
    assert.equal(read.entries[0]!.id, first.id);
  });

  it('tells listeners about each entry', () => {
    const j = new Journal(tmp(), () => 1);
    const seen: string[] = [];
    const off = j.onAppend((e) => seen.push(e.message));
    j.append({ kind: 'note', message: 'a' });
    off();
    j.append({ kind: 'note', message: 'b' });
    assert.deepEqual(seen, ['a']);
  });
});
