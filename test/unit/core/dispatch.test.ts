import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallContext, Handlers } from '../../../main/core/api';
import { ApiError, createRefusalJournal, dispatch } from '../../../main/core/dispatch';

const viewer: CallContext = { access: 'viewer', operator: null, transport: 'http' };
const operator: CallContext = { access: 'operator', operator: 'ana', transport: 'http' };

function handlers(overrides: Partial<Handlers['commands']> = {}): Handlers {
  const fail = async () => {
    throw new Error('not in this test');
  };
  // Only the core calls: domain modules add theirs to the map, and this test does not use them.
  const core: { queries: Partial<Handlers['queries']>; commands: Partial<Handlers['commands']> } = {
    queries: { 'session.get': async (_i, ctx) => ({ ...ctx }), 'hosts.list': async () => [], 'host.metrics': fail, 'journal.recent': fail, 'settings.get': fail, 'fleet.status': fail },
    commands: { 'host.add': fail, 'host.update': fail, 'host.remove': fail, 'journal.note': fail, 'settings.update': fail, ...overrides },
  };
  return core as Handlers;
}

describe('dispatch (shared by both transports)', () => {
  it('runs a query for a viewer', async () => {
    const r = await dispatch(handlers(), 'query', 'session.get', {}, viewer, () => {});
    assert.deepEqual(r, { ok: true, value: viewer });
  });

  it('refuses unknown names, bad input and viewers who command', async () => {
    const none = () => {};
    assert.deepEqual(await dispatch(handlers(), 'query', 'nope', {}, viewer, none), { ok: false, code: 'not-found', error: 'no such query: nope' });
    const bad = await dispatch(handlers(), 'query', 'hosts.list', { extra: 1 }, viewer, none);
    assert.equal(bad.ok || bad.code, 'bad-input');
    const forbidden = await dispatch(handlers(), 'command', 'host.remove', { id: 'h1' }, viewer, none);
    assert.equal(forbidden.ok || forbidden.code, 'forbidden');
    const badSpec = await dispatch(handlers(), 'command', 'host.add', { name: 'x' }, operator, none);
    assert.equal(badSpec.ok || badSpec.code, 'bad-input');
    assert.match(badSpec.ok ? '' : badSpec.error, /address/);
  });

  it('passes ApiErrors through and reports anything else as internal', async () => {
    const reported: string[] = [];
    const h = handlers({
      'host.remove': async () => {
        throw new ApiError('not-found', 'no host with id h9');
      },
      'journal.note': async () => {
        throw new TypeError('boom');
      },
    });
    assert.deepEqual(await dispatch(h, 'command', 'host.remove', { id: 'h9' }, operator, () => {}), { ok: false, code: 'not-found', error: 'no host with id h9' });
    const internal = await dispatch(h, 'command', 'journal.note', { text: 'hi' }, operator, (name, err) => reported.push(`${name}: ${err.message}`));
    assert.equal(internal.ok || internal.code, 'internal');
    assert.deepEqual(reported, ['journal.note: boom']);
  });
});

describe('refused calls are journalled', () => {
  const ana: CallContext = { access: 'operator', operator: 'Ana', transport: 'ipc' };

  it('journals a refusal with who, what and why, once per call and reason every 10 s, counting the rest', () => {
    const entries: { kind: string; severity?: string; operator?: string | null; message: string; data?: Record<string, unknown> }[] = [];
    let t = 0;
    const refusals = createRefusalJournal({ append: (e) => entries.push(e) }, () => t);
    const bad = { ok: false as const, code: 'bad-input' as const, error: 'hostId: Too small' };
    refusals.note('command', 'failover.run', ana, bad);
    for (let i = 0; i < 50; i++) refusals.note('command', 'failover.run', ana, bad);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.kind, 'console.call-refused');
    assert.equal(entries[0]!.severity, 'warning');
    assert.equal(entries[0]!.operator, 'Ana');
    assert.match(entries[0]!.message, /refused command failover\.run from Ana over ipc: hostId: Too small/);
    t = 10_001;
    refusals.note('command', 'failover.run', ana, bad);
    assert.equal(entries.length, 2);
    assert.match(entries[1]!.message, /and 50 more like it/);
    refusals.note('command', 'host.remove', viewer, { ok: false, code: 'forbidden', error: 'host.remove needs an operator token' });
    assert.match(entries[2]!.message, /from a viewer over http/);
  });

  it('leaves out successes, internal errors (journalled where they happen) and reads of things that do not exist', () => {
    const entries: unknown[] = [];
    const refusals = createRefusalJournal({ append: (e) => entries.push(e) });
    refusals.note('query', 'hosts.list', viewer, { ok: true, value: [] });
    refusals.note('command', 'host.add', ana, { ok: false, code: 'internal', error: 'x' });
    refusals.note('query', 'failover.preview', viewer, { ok: false, code: 'not-found', error: 'no host with id h-1' });
    assert.equal(entries.length, 0);
    refusals.note('query', 'no.such.query', viewer, { ok: false, code: 'not-found', error: 'no such query: no.such.query' });
    assert.equal(entries.length, 1, 'an unknown call name is');
  });
});
