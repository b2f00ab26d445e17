import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WindowOperators } from '../../../main/electron/window-operators';

describe('window operators of the desktop shell', () => {
  it('attributes a window to whoever signed in there, the OS user before that', () => {
    const ops = new WindowOperators();
    assert.equal(ops.nameFor(3, 'ana-os'), 'ana-os');
    assert.equal(ops.noteCall(3, 'command', 'session.signIn', { ok: true, value: { operator: 'Ana K', atMs: 1 } }), true, 'first name of the window');
    assert.equal(ops.nameFor(3, 'ana-os'), 'Ana K');
    assert.equal(ops.noteCall(3, 'command', 'session.signIn', { ok: true, value: { operator: 'Ana K', atMs: 1 } }), false, 'already named');
    assert.equal(ops.nameFor(4, 'ana-os'), 'ana-os', 'another window is not signed in by it');
    ops.noteCall(3, 'command', 'session.signIn', { ok: false, code: 'bad-input', error: 'type your name' });
    ops.noteCall(3, 'query', 'session.signIn', { ok: true, value: { operator: 'Eve', atMs: 2 } });
    assert.equal(ops.nameFor(3, 'ana-os'), 'Ana K', 'failed calls and queries change nothing');
    ops.noteCall(3, 'command', 'session.signOut', { ok: true, value: { operator: 'Ana K', atMs: 3 } });
    assert.equal(ops.nameFor(3, 'ana-os'), 'ana-os');
    ops.noteCall(5, 'command', 'session.signIn', { ok: true, value: { operator: 'Ben', atMs: 4 } });
    ops.forget(5);
    assert.equal(ops.nameFor(5, 'x'), 'x', 'a closed window is forgotten');
  });
});
