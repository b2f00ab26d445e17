import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ContentDigester } from '../../../../../agents/roles/storage/content-digest';

const base = mkdtempSync(path.join(tmpdir(), 'tally-content-'));
after(() => rmSync(base, { recursive: true, force: true }));

function makeTree(name: string, files: Record<string, string>): string {
  const root = path.join(base, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

test('ContentDigester: same tree, same digest; a changed byte, a renamed file or a moved file changes it', async () => {
  const files = { 'a/x.ts': 'one', 'a/y.ts': 'two', 'b/z.ts': 'three', 'top.txt': 'top' };
  const d = async (f: Record<string, string>, name: string) => (await new ContentDigester(makeTree(name, f)).digest()).rootDigest;
  const same1 = await d(files, 't1');
  assert.equal(await d(files, 't2'), same1);
  assert.notEqual(await d({ ...files, 'a/x.ts': 'onE' }, 't3'), same1);
  const { 'a/x.ts': x, ...rest } = files;
  assert.notEqual(await d({ ...rest, 'a/w.ts': x }, 't4'), same1);
  assert.notEqual(await d({ ...rest, 'b/x.ts': x }, 't5'), same1);
});

test('ContentDigester: counts files and bytes, skips symlinks, exposes folders for drill-down, and re-hashes only changes', async () => {
  const root = makeTree('t6', { 'a/x.ts': '12345', 'b.ts': '678' });
  symlinkSync('/etc/passwd', path.join(root, 'link'));
  const digester = new ContentDigester(root);
  const first = await digester.digest();
  assert.deepEqual([first.files, first.bytes, first.skipped], [2, 8, 1]);
  assert.deepEqual(first.dirs.get('')!.entries.map((e) => [e.name, e.kind]), [['a', 'dir'], ['b.ts', 'file']]);
  assert.ok(first.dirs.get('a'));
  writeFileSync(path.join(root, 'b.ts'), '679');
  const second = await digester.digest();
  assert.notEqual(second.rootDigest, first.rootDigest);
  assert.equal(second.dirs.get('a')!.digest, first.dirs.get('a')!.digest);
});
