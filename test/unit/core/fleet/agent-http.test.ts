import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { agentHttp } from '../../../../main/core/fleet/agent-http';
import { agentFailure } from '../../../../main/core/transcoders/agent-failure';

const servers: http.Server[] = [];
after(() => {
  for (const s of servers) s.close();
  for (const s of servers) s.closeAllConnections();
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('agentHttp (the console’s requests to agents)', () => {
  it('sends the token and a JSON body, and returns any answer with its status', async () => {
    const seen: { auth?: string; type?: string; body: string }[] = [];
    const address = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, type: req.headers['content-type'], body });
        res.statusCode = req.method === 'PUT' ? 409 : 200;
        res.end(JSON.stringify({ ok: req.method !== 'PUT' }));
      });
    });
    assert.deepEqual(await agentHttp(address, 'tok', 'GET', '/v1/info', undefined, 2000), { status: 200, text: '{"ok":true}' });
    assert.deepEqual(await agentHttp(address, 'tok', 'PUT', '/v1/x', { a: 1 }, 2000), { status: 409, text: '{"ok":false}' });
    assert.deepEqual(seen, [
      { auth: 'Bearer tok', type: undefined, body: '' },
      { auth: 'Bearer tok', type: 'application/json', body: '{"a":1}' },
    ]);
  });

  it('gives up after its timeout with an error the operator reads as "did not answer in time"', async () => {
    const address = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const err = await agentHttp(address, 'tok', 'GET', '/v1/info', undefined, 300).then(
      () => assert.fail('expected a timeout'),
      (e: Error) => e,
    );
    assert.ok(Date.now() - started < 2000);
    assert.equal(err.name, 'TimeoutError');
    assert.match(err.message, /did not answer GET \/v1\/info within 300 ms/);
    assert.equal(agentFailure(err, 'tc-1/news').message, 'tc-1/news: the agent did not answer in time');
  });

  it('a refused connection is "cannot be reached"', async () => {
    const address = await serve(() => {});
    servers.at(-1)!.close();
    await new Promise((r) => setTimeout(r, 50));
    const err = await agentHttp(address, 'tok', 'GET', '/v1/info', undefined, 1000).then(
      () => assert.fail('expected a refusal'),
      (e: Error) => e,
    );
    assert.match(agentFailure(err, 'tc-1').message, /^tc-1: the agent cannot be reached \(connect ECONNREFUSED/);
  });

  it('sends once more, on a fresh socket, when the kept-alive socket it reused was closed by the agent', async () => {
    let requests = 0;
    const sockets = new Set<unknown>();
    const address = await serve((req, res) => {
      requests++;
      sockets.add(req.socket);
      // The second request arrives on the first one's kept-alive socket: drop it unanswered, as an agent whose idle
      // timeout fired just then does.
      if (requests === 2) {
        req.socket.destroy();
        return;
      }
      res.end(JSON.stringify({ n: requests }));
    });
    assert.equal((await agentHttp(address, 'tok', 'GET', '/a', undefined, 2000)).text, '{"n":1}');
    assert.equal((await agentHttp(address, 'tok', 'POST', '/b', { x: 1 }, 2000)).text, '{"n":3}');
    assert.equal(requests, 3);
    assert.equal(sockets.size, 2, 'the retry went out on a new socket');
  });

  it('never queues requests to one agent behind a socket cap (a silent group\'s probe rounds all ask the same peers)', async () => {
    let open = 0;
    let most = 0;
    const address = await serve((_req, res) => {
      most = Math.max(most, ++open);
      setTimeout(() => {
        open--;
        res.end('{}');
      }, 100);
    });
    await Promise.all(Array.from({ length: 32 }, () => agentHttp(address, 'tok', 'POST', '/v1/probe', {}, 5000)));
    assert.equal(most, 32, 'all 32 were with the agent at once');
  });

  it('does not retry a request that failed on a fresh socket', async () => {
    let requests = 0;
    const address = await serve((req) => {
      requests++;
      req.socket.destroy();
    });
    // A different host:port than the tests above, so the pool has no socket to reuse.
    await assert.rejects(agentHttp(address, 'tok', 'POST', '/c', {}, 2000), /socket hang up/);
    assert.equal(requests, 1);
  });
});
