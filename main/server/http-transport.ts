/**
 * `tally serve`: the HTTP + WebSocket transport of core/api.ts. Queries and commands are POSTs, events arrive on one
 * WebSocket. A viewer token may query and listen; an operator token may also command. Also serves the built renderer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { CallContext } from '../core/api';
import type { TallyConsole } from '../core/console';
import { createRefusalJournal, dispatch, httpStatusOf } from '../core/dispatch';
import { createConsoleMetrics } from '../core/metrics/console-metrics';
import { METRICS_CONTENT_TYPE } from '../core/metrics/prometheus-text';

export interface HttpTransportOptions {
  host: string;
  port: number;
  viewerToken: string;
  operatorToken: string;
  /** Folder of the built renderer, or null to serve the API alone. */
  staticDir: string | null;
}

export interface RunningHttpTransport {
  readonly port: number;
  readonly origin: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_EVENT_BACKLOG_BYTES = 8 * 1024 * 1024;
const AUTH_JOURNAL_EVERY_MS = 10_000;

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; media-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  '.woff2': 'font/woff2',
};

function sameToken(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function startHttpTransport(engine: TallyConsole, opts: HttpTransportOptions): Promise<RunningHttpTransport> {
  let lastAuthJournalAt = -Infinity;
  const metrics = createConsoleMetrics(engine);
  const refusals = createRefusalJournal(engine.journal);

  function accessOf(token: string | undefined, peer: string | undefined): CallContext['access'] | null {
    if (token && sameToken(token, opts.operatorToken)) return 'operator';
    if (token && sameToken(token, opts.viewerToken)) return 'viewer';
    const now = Date.now();
    if (now - lastAuthJournalAt > AUTH_JOURNAL_EVERY_MS) {
      lastAuthJournalAt = now;
      engine.journal.append({ kind: 'console.auth-refused', severity: 'warning', message: `refused a request with a ${token ? 'wrong' : 'missing'} token from ${peer ?? 'unknown peer'}` });
    }
    return null;
  }

  function contextOf(req: IncomingMessage, access: CallContext['access']): CallContext {
    const raw = req.headers['x-tally-operator'];
    const name = typeof raw === 'string' ? decodeURIComponent(raw).trim().slice(0, 64) : '';
    return { access, operator: access === 'operator' ? name || 'operator' : null, transport: 'http' };
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      engine.journal.append({ kind: 'console.http-error', severity: 'warning', message: `HTTP ${req.method} ${req.url} failed: ${err.message}` });
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const api = /^\/api\/(query|command)\/([A-Za-z0-9.-]+)$/.exec(url.pathname);
    if (api) {
      if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
      const header = req.headers.authorization;
      const access = accessOf(header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined, req.socket.remoteAddress);
      if (!access) return json(res, 401, { error: 'wrong or missing token', code: 'unauthorized' });
      const body = await readBody(req);
      const kind = api[1] as 'query' | 'command';
      if (!body.ok) {
        refusals.note(kind, api[2]!, contextOf(req, access), { ok: false, code: 'bad-input', error: body.error });
        return json(res, body.status, { error: body.error, code: 'bad-input' });
      }
      const ctx = contextOf(req, access);
      const result = await dispatch(engine.handlers, kind, api[2]!, body.value, ctx, (name, err) =>
        engine.journal.append({ kind: 'console.handler-error', severity: 'major', message: `${name} failed: ${err.message}` }),
      );
      refusals.note(kind, api[2]!, ctx, result);
      if (result.ok) return json(res, 200, { value: result.value });
      return json(res, httpStatusOf(result.code), { error: result.error, code: result.code });
    }
    if (url.pathname === '/metrics' && req.method === 'GET') {
      // Prometheus sends the viewer (or operator) token as a bearer token; /metrics shows what a viewer may see.
      const header = req.headers.authorization;
      const access = accessOf(header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined, req.socket.remoteAddress);
      if (!access) return json(res, 401, { error: 'wrong or missing token', code: 'unauthorized' });
      const text = await metrics.render();
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    if (!opts.staticDir) return json(res, 404, { error: 'this console serves no UI (build the renderer first)' });
    const root = path.resolve(opts.staticDir);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return json(res, 400, { error: 'bad path' });
    }
    let file = path.resolve(root, `.${decoded}`);
    if (file !== root && !file.startsWith(root + path.sep)) return json(res, 403, { error: 'outside the UI folder' });
    if (!existsSync(file) || !statSync(file).isFile()) {
      // The app's own routes (/, /wall, /desk…) all load the single page.
      if (path.extname(decoded)) return json(res, 404, { error: 'not found' });
      file = path.join(root, 'index.html');
      if (!existsSync(file)) return json(res, 404, { error: 'the renderer is not built (run npm run build)' });
    }
    const type = MIME[path.extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'public, max-age=3600',
    };
    if (type.startsWith('text/html')) {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['x-frame-options'] = 'DENY';
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://console');
    if (url.pathname !== '/api/events') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // Browsers cannot set headers on a WebSocket, so the token rides in the query string (loopback or TLS proxy).
    const access = accessOf(url.searchParams.get('token') ?? undefined, req.socket.remoteAddress);
    if (!access) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = engine.subscribe((event) => {
        if (ws.bufferedAmount > MAX_EVENT_BACKLOG_BYTES) {
          // A client that cannot keep up is dropped; it reconnects and reloads state rather than lagging forever.
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify(event));
      });
      ws.on('close', unsubscribe);
      ws.on('error', unsubscribe);
      ws.on('message', () => ws.send(JSON.stringify({ error: 'the event stream is one-way; use POST /api/command' })));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    port,
    origin: `http://${hostPart}:${port}`,
    async close() {
      metrics.stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number; error: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (r: { ok: true; value: unknown } | { ok: false; status: number; error: string }) => {
      if (finished) return;
      finished = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        finish({ ok: false, status: 413, error: `body over the ${MAX_BODY_BYTES}-byte limit` });
        req.resume();
        return;
      }
      if (!finished) chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return finish({ ok: true, value: {} });
      try {
        finish({ ok: true, value: JSON.parse(text) });
      } catch (err) {
        finish({ ok: false, status: 400, error: `body is not JSON: ${(err as Error).message}` });
      }
    });
    req.on('error', (err) => finish({ ok: false, status: 400, error: err.message }));
  });
}
