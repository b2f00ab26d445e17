/** `tally serve`'s transport with the real engine and a real agent: tokens, errors, events, static files. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { type Lab, startLab } from '../../agents/lab/lab';
import type { TallyEvent } from '../../main/core/api';
import { createConsole, type TallyConsole } from '../../main/core/console';
import { createConfStore } from '../../main/core/store/conf-store';
import { type RunningHttpTransport, startHttpTransport } from '../../main/server/http-transport';
import { labOptions } from '../helpers/agents';
import { waitFor } from '../helpers/wait';

const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';

describe('HTTP + WebSocket transport', () => {
  const opts = labOptions('http');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-http-'));
  const uiDir = path.join(dataDir, 'ui');
  let lab: Lab;
  let engine: TallyConsole;
  let server: RunningHttpTransport;

  const call = async (kind: 'query' | 'command', name: string, body: unknown, token?: string, operator?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (operator) headers['x-tally-operator'] = operator;
    const res = await fetch(`${server.origin}/api/${kind}/${name}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { value?: unknown; error?: string; code?: string } };
  };

  before(async () => {
    mkdirSync(uiDir, { recursive: true });
    writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Tally</title>');
    writeFileSync(path.join(dataDir, 'secret.txt'), 'do not serve');
    lab = await startLab([{ name: 'tc-1', ip: '127.0.0.2' }], opts);
    engine = createConsole({ store: createConfStore(dataDir), dataDir });
    engine.start();
    server = await startHttpTransport(engine, { host: '127.0.0.1', port: 0, viewerToken: VIEWER, operatorToken: OPERATOR, staticDir: uiDir });
  });

  after(async () => {
    await server?.close();
    await engine?.stop();
    await lab?.stop();
    opts.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a wrong or missing token and journals it', async () => {
    assert.equal((await call('query', 'hosts.list', {})).status, 401);
    assert.equal((await call('query', 'hosts.list', {}, 'guess-guess-guess-guess')).status, 401);
    assert.ok(engine.journal.recent(50).some((e) => e.kind === 'console.auth-refused'));
  });

  it('lets a viewer read but not act', async () => {
    const list = await call('query', 'hosts.list', {}, VIEWER);
    assert.equal(list.status, 200);
    const add = await call('command', 'host.add', { name: 'x', address: '127.0.0.2:1', token: 't'.repeat(16) }, VIEWER);
    assert.equal(add.status, 403);
    assert.match(add.body.error!, /operator token/);
  });

  it('lets an operator add a host, attributed, and streams the change as events', async () => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api/events?token=${VIEWER}`);
    const events: TallyEvent[] = [];
    ws.on('message', (d) => events.push(JSON.parse(d.toString()) as TallyEvent));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const agent = lab.agents[0]!;
    const add = await call('command', 'host.add', { name: 'tc-1', address: agent.address, token: agent.token }, OPERATOR, 'Ana%20K');
    assert.equal(add.status, 200, JSON.stringify(add.body));
    const id = (add.body.value as { id: string }).id;
    await waitFor('an ok hosts.changed event for tc-1', () =>
      events.some((e) => e.type === 'hosts.changed' && e.payload.hosts.some((h) => h.id === id && h.health === 'ok' && h.system !== null)),
    );
    const journalled = events.find((e) => e.type === 'journal.appended' && e.payload.entry.kind === 'host.added');
    assert.equal(journalled?.type === 'journal.appended' && journalled.payload.entry.operator, 'Ana K');
    assert.ok(!JSON.stringify(events).includes(agent.token), 'the agent token never reaches a UI');
    ws.close();
  });

  it('answers bad input, unknown calls and huge bodies with clear errors', async () => {
    const bad = await call('command', 'host.add', { name: '', address: 'nope', token: 'short' }, OPERATOR);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error!, /name: .*address: .*token: /);
    assert.equal((await call('query', 'no.such', {}, VIEWER)).status, 404);
    assert.equal((await call('query', 'hosts.list', '{not json', VIEWER)).status, 400);
    const huge = await call('command', 'journal.note', JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }), OPERATOR);
    assert.equal(huge.status, 413);
  });

  it('refuses an events socket without a token', async () => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api/events`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 401);
  });

  it('serves the UI with a strict CSP, and nothing outside its folder', async () => {
    const page = await fetch(`${server.origin}/wall`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    for (const probe of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await fetch(`${server.origin}${probe}`);
      const text = await res.text();
      assert.ok(!text.includes('do not serve'), `${probe} must not leak`);
    }
  });
});
