/**
 * Real agent processes on 127.0.0.2 and 127.0.0.3, the real engine and its WebSocket links: heartbeats make hosts ok,
 * a SIGSTOPped agent goes attention → down and comes back, a wrong token shows as auth failed, garbage is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { type Lab, startLab } from '../../agents/lab/lab';
import { STREAM_PATH } from '../../agents/protocol';
import type { CallContext, HostView } from '../../main/core/api';
import { createConsole, type TallyConsole } from '../../main/core/console';
import { createConfStore } from '../../main/core/store/conf-store';
import { labOptions } from '../helpers/agents';
import { waitFor } from '../helpers/wait';

const op: CallContext = { access: 'operator', operator: 'test', transport: 'http' };

describe('agents and the engine, for real', () => {
  const opts = labOptions('health');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-health-console-'));
  let lab: Lab;
  let engine: TallyConsole;
  const ids: Record<string, string> = {};

  before(async () => {
    lab = await startLab(
      [
        { name: 'tc-1', ip: '127.0.0.2' },
        { name: 'tc-2', ip: '127.0.0.3' },
      ],
      opts,
    );
    engine = createConsole({ store: createConfStore(dataDir), dataDir });
    engine.start();
    for (const agent of lab.agents) {
      const view = await engine.handlers.commands['host.add']({ name: agent.name, address: agent.address, token: agent.token, kind: 'transcoder', role: 'main', group: '' }, op);
      ids[agent.name] = view.id;
    }
  });

  after(async () => {
    await engine?.stop();
    await lab?.stop();
    opts.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const view = (name: string): HostView => engine.hostView(ids[name]!)!;

  it('heartbeats make both hosts ok, with live system figures', async () => {
    await waitFor('both hosts ok', () => view('tc-1').health === 'ok' && view('tc-2').health === 'ok');
    const tc1 = await waitFor('tc-1 system figures', () => view('tc-1').system ?? undefined);
    assert.ok(tc1.cpuCores >= 1);
    assert.ok(tc1.memTotalBytes > 0);
    assert.equal(view('tc-1').link, 'connected');
    assert.deepEqual(view('tc-1').agentRoles, ['system']);
  });

  it('a SIGSTOPped agent goes attention, then down; SIGCONT brings it back to ok', async () => {
    const agent = lab.agents[0]!;
    agent.pause();
    try {
      await waitFor('tc-1 attention', () => view('tc-1').health === 'attention', 5000, 20);
      await waitFor('tc-1 down', () => view('tc-1').health === 'down', 5000, 20);
      assert.equal(view('tc-2').health, 'ok', 'the other host is untouched');
    } finally {
      agent.resume();
    }
    await waitFor('tc-1 ok again', () => view('tc-1').health === 'ok', 8000);
    const trail = engine.journal
      .recent(200)
      .filter((e) => e.kind === 'host.health' && e.hostId === ids['tc-1'])
      .map((e) => e.data?.to);
    assert.deepEqual(trail.slice(-3), ['attention', 'down', 'ok']);
  });

  it('a wrong token shows the host as auth failed, journalled; the right one brings it back', async () => {
    const agent = lab.agents[1]!;
    const id = ids['tc-2']!;
    await engine.handlers.commands['host.update']({ id, patch: { token: 'w'.repeat(20) } }, op);
    await waitFor('auth failed', () => engine.hostView(id)?.link === 'auth-failed');
    assert.match(engine.hostView(id)!.linkError ?? '', /401/);
    assert.ok(engine.journal.recent(100).some((e) => e.kind === 'host.auth-failed' && e.hostId === id));
    await engine.handlers.commands['host.update']({ id, patch: { token: agent.token } }, op);
    await waitFor('tc-2 ok with the right token', () => view('tc-2').link === 'connected' && view('tc-2').health === 'ok');
  });

  it('the agent refuses garbage on its stream and on its API, and keeps running', async () => {
    const agent = lab.agents[1]!;
    const ws = new WebSocket(`ws://${agent.address}${STREAM_PATH}`, { headers: { authorization: `Bearer ${agent.token}` } });
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(d.toString()));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    ws.send('{"this is": not json');
    ws.send(JSON.stringify({ type: 'exec', cmd: 'reboot' }));
    const rejected = await waitFor('two rejections', () => {
      const r = replies.map((x) => JSON.parse(x) as { type: string; reason?: string }).filter((m) => m.type === 'rejected');
      return r.length >= 2 ? r : undefined;
    });
    assert.match(rejected[0]!.reason!, /not JSON/);
    ws.close();

    const noToken = await fetch(`http://${agent.address}/v1/info`);
    assert.equal(noToken.status, 401);
    const huge = await fetch(`http://${agent.address}/v1/anything`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}` }, body: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(huge.status, 413, 'a huge body is refused before anything else');
    assert.match(((await huge.json()) as { error: string }).error, /over the \d+-byte limit/);
    const info = await fetch(`http://${agent.address}/v1/info`, { headers: { authorization: `Bearer ${agent.token}` } });
    assert.equal(info.status, 200, 'the agent is still up');
    assert.equal(view('tc-2').health, 'ok');
  });

  it('the console refuses garbage from a hostile agent, journals it, and stays up', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: STREAM_PATH });
    wss.on('connection', (ws) => {
      ws.send('not json at all');
      ws.send(JSON.stringify({ type: 'heartbeat', seq: 1, sentAt: 0, status: {} }));
      ws.send(JSON.stringify({ type: 'hello', protocol: 1, agentId: '', roles: ['root'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.9', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const rogue = await engine.handlers.commands['host.add']({ name: 'rogue', address: `127.0.0.9:${port}`, token: 'r'.repeat(20), kind: 'other', role: 'main', group: '' }, op);
      const entry = await waitFor('rejection journalled', () => engine.journal.recent(100).find((e) => e.kind === 'agent.message-rejected' && e.hostId === rogue.id));
      assert.match(entry.message, /rejected a malformed message from rogue: not JSON/);
      assert.notEqual(engine.hostView(rogue.id)?.health, 'ok', 'garbage never counts as a heartbeat');
      assert.equal(view('tc-2').health, 'ok', 'the console keeps watching the others');
      await engine.handlers.commands['host.remove']({ id: rogue.id }, op);
    } finally {
      wss.close();
      server.close();
    }
  });
});
