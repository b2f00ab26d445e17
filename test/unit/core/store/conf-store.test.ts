import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createConfStore } from '../../../../main/core/store/conf-store';
import { StoreUnreadableError } from '../../../../main/core/store/store';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'tally-store-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('conf store', () => {
  it('round-trips values across instances', () => {
    const dir = tmp();
    const a = createConfStore(dir);
    a.set('hosts', [{ id: 'h1', name: 'tc-1' }]);
    a.set('dotted.key', 1);
    const b = createConfStore(dir);
    assert.deepEqual(b.get('hosts'), [{ id: 'h1', name: 'tc-1' }]);
    assert.equal(b.get('dotted.key'), 1, 'keys with dots are plain keys');
    assert.equal(b.get('missing'), undefined);
  });

  it('reports a corrupt file and leaves it untouched', () => {
    const dir = tmp();
    const file = path.join(dir, 'tally.json');
    writeFileSync(file, '{"hosts": [ {"id": "h1"');
    assert.throws(() => createConfStore(dir), (err: Error) => err instanceof StoreUnreadableError && err.message.includes(file));
    assert.equal(readFileSync(file, 'utf8'), '{"hosts": [ {"id": "h1"', 'the damaged file is not replaced');
  });
});
