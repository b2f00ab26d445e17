import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostSpec } from '../../../../main/core/api';
import { ApiError } from '../../../../main/core/dispatch';
import { Inventory } from '../../../../main/core/fleet/inventory';
import { memoryStore } from '../../../helpers/memory-store';

const spec = (name: string, address: string) => HostSpec.parse({ name, address, token: 't'.repeat(16) });

describe('inventory', () => {
  it('adds, updates and removes hosts, and persists each change', () => {
    const store = memoryStore();
    const inv = new Inventory(store);
    const a = inv.add(spec('tc-1', '127.0.0.2:7411'));
    inv.add(spec('tc-2', '127.0.0.3:7411'));
    inv.update(a.id, { role: 'reserve' });
    assert.equal(new Inventory(store).get(a.id)?.role, 'reserve');
    inv.remove(a.id);
    assert.deepEqual(new Inventory(store).list().map((h) => h.name), ['tc-2']);
  });

  it('refuses duplicate names and addresses with a conflict', () => {
    const inv = new Inventory(memoryStore());
    const a = inv.add(spec('tc-1', '127.0.0.2:7411'));
    const b = inv.add(spec('tc-2', '127.0.0.3:7411'));
    assert.throws(() => inv.add(spec('tc-1', '127.0.0.9:7411')), (e: ApiError) => e.code === 'conflict' && /named "tc-1"/.test(e.message));
    assert.throws(() => inv.update(b.id, { address: a.address }), (e: ApiError) => e.code === 'conflict');
    assert.throws(() => inv.remove('h-none'), (e: ApiError) => e.code === 'not-found');
  });

  it('undoes a change the store refuses to write, so memory and file agree', () => {
    const store = memoryStore();
    const inv = new Inventory(store);
    const a = inv.add(spec('tc-1', '127.0.0.2:7411'));
    const set = store.set.bind(store);
    store.set = () => {
      throw new Error('disk full');
    };
    assert.throws(() => inv.add(spec('tc-2', '127.0.0.3:7411')), /disk full/);
    assert.throws(() => inv.update(a.id, { role: 'reserve' }), /disk full/);
    assert.throws(() => inv.remove(a.id), /disk full/);
    assert.deepEqual(inv.list(), [a], 'nothing changed in memory either');
    store.set = set;
    assert.equal(inv.add(spec('tc-2', '127.0.0.3:7411')).name, 'tc-2', 'the refused name is free again once the store writes');
  });

  it('reports an invalid stored inventory instead of starting empty', () => {
    const store = memoryStore({ hosts: [{ id: 'h1', name: 'tc-1' }] });
    assert.throws(() => new Inventory(store), /inventory .* is invalid/);
    assert.deepEqual(store.data.hosts, [{ id: 'h1', name: 'tc-1' }], 'left as it was');
  });
});
