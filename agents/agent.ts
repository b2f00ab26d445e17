import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  type AgentConfig,
  type AgentEvent,
  type AgentInfo,
  type AgentStatus,
  type HeartbeatMessage,
  type HelloMessage,
  MAX_COMMAND_BODY_BYTES,
  MAX_STREAM_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  describeZodError,
  parseConsoleMessage,
  ProbeRequest,
  STREAM_PATH,
} from './protocol';
import { HeartbeatSender } from './heartbeat-sender';
import { agentMetricsText, METRICS_CONTENT_TYPE } from './metrics-text';
import { runProbe } from './probe';
import { roleFactories } from './roles/index';
import type { BinaryRouteResult, Role, RoleContext, Route } from './roles/role';

export const AGENT_VERSION = '0.1.0';
/** How long an idle HTTP connection from the console is kept open. */
export const AGENT_KEEP_ALIVE_MS = 15_000;

export interface AgentLogger {
  (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

export const jsonLogger: AgentLogger = (level, message, fields) => {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level, message, ...fields })}\n`);
};

export interface RunningAgent {
  readonly port: number;
  readonly epoch: string;
  stop(): Promise<void>;
}

/** Compares a presented token with the configured one in constant time (hashing first evens out the lengths). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The console's stream: upgraded only at STREAM_PATH and only with the agent's token (401 otherwise). */
export function acceptStreams(server: http.Server, wss: WebSocketServer, token: string, onRefused: (req: IncomingMessage) => void = () => {}): void {
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (url.pathname !== STREAM_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!tokenMatches(bearerToken(req), token)) {
      onRefused(req);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
}

/**
 * Listens and resolves to the port. Idle connections are kept longer than the console's API-check period (tMainMs,
 * 5 s by default), so each check reuses its kept-alive socket instead of racing Node's 5 s default and opening a new
 * connection every time (200 a second at 1,000 hosts).
 */
export async function listenAgentServer(server: http.Server, port: number, host: string): Promise<number> {
  server.keepAliveTimeout = AGENT_KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  return header.slice('Bearer '.length).trim();
}

export async function startAgent(config: AgentConfig, log: AgentLogger = jsonLogger): Promise<RunningAgent> {
  const epoch = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const startedAt = Date.now();
  const clients = new Set<WebSocket>();
  const sender = new HeartbeatSender();
  let seq = 0;
  let pendingEvents: AgentEvent[] = [];

  const ctx: RoleContext = { log, nudge: () => sendHeartbeat() };
  let setHeartbeat: (ms: number) => void = () => {};
  let heartbeatMs = config.heartbeatMs;
  const roles: Role[] = config.roles.map((name) => {
    const factory = roleFactories[name];
    if (!factory) throw new Error(`role "${name}" is not available in this agent build`);
    return factory(ctx, config);
  });
  for (const role of roles) await role.start();
  const routes: Route[] = roles.flatMap((r) => r.routes);

  function info(): AgentInfo {
    return {
      agentId: config.agentId,
      version: AGENT_VERSION,
      protocol: PROTOCOL_VERSION,
      roles: config.roles,
      epoch,
      uptimeMs: Date.now() - startedAt,
    };
  }

  function collectStatus(): AgentStatus {
    const status: AgentStatus = {};
    for (const role of roles) Object.assign(status, role.status());
    return status;
  }

  function sendHeartbeat(): void {
    for (const role of roles) pendingEvents.push(...role.drainEvents());
    if (clients.size === 0) {
      // Nobody listening: keep only the newest events so a console that comes back sees what just happened.
      pendingEvents = pendingEvents.slice(-256);
      return;
    }
    const events = pendingEvents.slice(-256);
    pendingEvents = [];
    const message: HeartbeatMessage = { type: 'heartbeat', seq: seq++, sentAt: Date.now(), status: collectStatus(), events };
    sender.send(message, message.sentAt);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_STREAM_MESSAGE_BYTES });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    clients.add(ws);
    sender.add(ws);
    const peer = req.socket.remoteAddress;
    log('info', 'console connected', { peer });
    const hello: HelloMessage = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      agentId: config.agentId,
      version: AGENT_VERSION,
      roles: config.roles,
      epoch,
      heartbeatMs,
    };
    ws.send(JSON.stringify(hello));
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? '' : data.toString();
      const parsed = isBinary ? { ok: false as const, reason: 'binary frames are not part of the protocol' } : parseConsoleMessage(raw);
      if (!parsed.ok) {
        log('warn', 'rejected message from console', { peer, reason: parsed.reason });
        ws.send(JSON.stringify({ type: 'rejected', reason: parsed.reason }));
        return;
      }
      if (parsed.message.type === 'configure') {
        setHeartbeat(parsed.message.heartbeatMs);
        sender.setDeltas(ws, parsed.message.channelDeltas === true);
      }
    });
    ws.on('error', (err) => log('warn', 'stream error', { peer, error: err.message }));
    ws.on('close', () => {
      clients.delete(ws);
      sender.remove(ws);
      log('info', 'console disconnected', { peer });
    });
  });

  const server = http.createServer((req, res) => {
    handleHttp(req, res).catch((err: Error) => {
      log('error', 'request failed', { url: req.url, error: err.message });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      serveMetrics(req, res);
      return;
    }
    if (!tokenMatches(bearerToken(req), config.token)) {
      log('warn', 'request with a wrong or missing token', { peer: req.socket.remoteAddress, url: req.url });
      sendJson(res, 401, { error: 'wrong or missing token' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    if (req.method === 'GET' && url.pathname === '/v1/info') {
      sendJson(res, 200, info());
      return;
    }
    let body: unknown;
    if (req.method !== 'GET') {
      const read = await readJsonBody(req, MAX_COMMAND_BODY_BYTES);
      if (!read.ok) {
        log('warn', 'rejected command body', { url: url.pathname, reason: read.reason });
        sendJson(res, read.status, { error: read.reason });
        return;
      }
      body = read.body;
    }
    if (req.method === 'POST' && url.pathname === '/v1/probe') {
      const probe = ProbeRequest.safeParse(body);
      if (!probe.success) sendJson(res, 400, { error: describeZodError(probe.error) });
      else sendJson(res, 200, await runProbe(probe.data));
      return;
    }
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (!match) {
      sendJson(res, 404, { error: `no such command: ${req.method} ${url.pathname}` });
      return;
    }
    const result = await match.route.handle({ body, params: match.params, req });
    if ('data' in result) await sendBinary(res, result, log);
    else sendJson(res, result.status, result.body);
  }

  function serveMetrics(req: IncomingMessage, res: ServerResponse): void {
    const presented = bearerToken(req);
    const allowed = tokenMatches(presented, config.token) || (config.metricsToken !== undefined && tokenMatches(presented, config.metricsToken));
    if (!allowed) {
      log('warn', 'metrics request with a wrong or missing token', { peer: req.socket.remoteAddress });
      sendJson(res, 401, { error: 'wrong or missing token' });
      return;
    }
    const text = agentMetricsText(info(), collectStatus(), Date.now());
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
    res.end(text);
  }

  acceptStreams(server, wss, config.token, (req) => log('warn', 'stream refused: wrong or missing token', { peer: req.socket.remoteAddress }));
  const port = await listenAgentServer(server, config.listen.port, config.listen.host);
  let heartbeatTimer = setInterval(sendHeartbeat, heartbeatMs);
  setHeartbeat = (ms: number) => {
    if (ms === heartbeatMs) return;
    heartbeatMs = ms;
    clearInterval(heartbeatTimer);
    heartbeatTimer = setInterval(sendHeartbeat, heartbeatMs);
    log('info', 'heartbeat interval set by the console', { heartbeatMs });
  };
  log('info', 'agent listening', { host: config.listen.host, port, roles: config.roles, epoch });

  return {
    port,
    epoch,
    async stop() {
      clearInterval(heartbeatTimer);
      for (const ws of clients) ws.terminate();
      wss.close();
      for (const role of roles) await role.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matchRoute(routes: Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    if (route.path === pathname) return { route, params: {} };
    const slash = route.path.lastIndexOf('/');
    const last = route.path.slice(slash + 1);
    if (last.startsWith(':') && pathname.startsWith(route.path.slice(0, slash + 1))) {
      const value = pathname.slice(slash + 1);
      if (value.length > 0 && !value.includes('/')) {
        try {
          return { route, params: { [last.slice(1)]: decodeURIComponent(value) } };
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

type BodyResult = { ok: true; body: unknown } | { ok: false; status: number; reason: string };

export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limitBytes) {
      resolve({ ok: false, status: 413, reason: `body of ${declared} bytes is over the ${limitBytes}-byte limit` });
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limitBytes) {
        done = true;
        resolve({ ok: false, status: 413, reason: `body is over the ${limitBytes}-byte limit` });
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.length === 0) {
        resolve({ ok: true, body: undefined });
        return;
      }
      try {
        resolve({ ok: true, body: JSON.parse(text) });
      } catch (err) {
        resolve({ ok: false, status: 400, reason: `body is not JSON: ${(err as Error).message}` });
      }
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      resolve({ ok: false, status: 400, reason: err.message });
    });
  });
}

export async function sendBinary(res: ServerResponse, result: BinaryRouteResult, log: AgentLogger): Promise<void> {
  if (result.release) res.once('close', result.release);
  res.writeHead(result.status, { ...result.headers, 'content-type': result.contentType, 'content-length': result.sizeBytes });
  if (Buffer.isBuffer(result.data)) {
    res.end(result.data);
    return;
  }
  try {
    await pipeline(result.data, res);
  } catch (err) {
    log('warn', 'streamed answer broken off', { error: (err as Error).message });
    res.destroy();
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
