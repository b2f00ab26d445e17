import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fsyncDir, writeFileAtomic } from '../../../lib/atomic-write';

describe('atomic write', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-atomic-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const temps = () => readdirSync(dir).filter((f) => f.startsWith('.') || f.endsWith('.tmp'));

  it('writes atomically: the new bytes in place, no temp file left behind', async () => {
    const target = path.join(dir, 'atomic.json');
    writeFileSync(target, 'old');
    await writeFileAtomic(target, Buffer.from('new bytes'));
    assert.equal(readFileSync(target, 'utf8'), 'new bytes');
    assert.deepEqual(temps(), []);
  });

  it('takes text as well as bytes', async () => {
    const target = path.join(dir, 'text.json');
    await writeFileAtomic(target, '{"é": 1}\n');
    assert.equal(readFileSync(target, 'utf8'), '{"é": 1}\n');
  });

  it('reports a failed write and leaves no temp file', async () => {
    await assert.rejects(writeFileAtomic(path.join(dir, 'missing-folder', 'x.json'), Buffer.from('x')), /ENOENT/);
    assert.deepEqual(temps(), []);
  });

  it('removes its temp file when the rename fails, and says why', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(path.join(folder, 'inner'), { recursive: true });
    // Renaming a file over a non-empty folder fails (EISDIR or ENOTEMPTY, by platform) after the temp file was written.
    await assert.rejects(writeFileAtomic(folder, 'x'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    assert.deepEqual(temps(), []);
  });

  it('fsyncs a folder, and refuses one that does not exist', async () => {
    await fsyncDir(dir);
    await assert.rejects(fsyncDir(path.join(dir, 'nope')), /ENOENT/);
  });
});
