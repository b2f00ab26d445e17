/**
 * One simulated agent: the real wire (agents/protocol.ts) on its own address — the stream with hello and heartbeats
 * (through the same HeartbeatSender as the real agent, channel deltas included), GET /v1/info, POST /v1/probe (a real
 * indirect probe), the transcoder's channel list and config files, and the token checked as the real agent checks it.
 * No ffmpeg and no system sampling: the statuses are made up, cheaply, so one process can run hundreds.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { acceptStreams, AGENT_VERSION, bearerToken, listenAgentServer, readJsonBody, sendJson, tokenMatches } from '../agent';
import { HeartbeatSender } from '../heartbeat-sender';
import { runProbe } from '../probe';
import {
  type AgentInfo,
  type AgentStatus,
  type ChannelConfigResponse,
  type HeartbeatMessage,
  type HelloMessage,
  MAX_COMMAND_BODY_BYTES,
  MAX_STREAM_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  describeZodError,
  parseConsoleMessage,
  ProbeRequest,
  type RoleName,
  transcoderPaths,
} from '../protocol';
import { type SimChannel, simChannels, simScan } from './sim-channels';

export interface SimAgentSpec {
  agentId: string;
  host: string;
  /** 0: any free port. */
  port: number;
  token: string;
  channels: number;
  heartbeatMs: number;
  /** Seeds the made-up figures so agents differ. */
  seed: number;
}

export interface SimAgent {
  readonly agentId: string;
  readonly address: string;
  readonly token: string;
  /** Consoles connected to the stream right now. */
  readonly streams: number;
  stop(): Promise<void>;
}

const RESCAN_MS = 5000;
const MEM_TOTAL = 32 * 1024 ** 3;

export async function startSimAgent(spec: SimAgentSpec): Promise<SimAgent> {
  const startedAt = Date.now();
  const epoch = `${startedAt.toString(36)}-${randomBytes(4).toString('hex')}`;
  const roles: RoleName[] = spec.channels > 0 ? ['system', 'transcoder'] : ['system'];
  const channels: SimChannel[] = simChannels(spec.channels, startedAt - 60_000, spec.seed);
  const byName = new Map(channels.map((c) => [c.name, c]));
  const sender = new HeartbeatSender();
  const sockets = new Set<WebSocket>();
  let heartbeatMs = spec.heartbeatMs;
  let seq = 0;
  let lastScanAt = -Infinity;
  let cpu = 20 + (spec.seed % 30);

  function info(): AgentInfo {
    return { agentId: spec.agentId, version: AGENT_VERSION, protocol: PROTOCOL_VERSION, roles, epoch, uptimeMs: Date.now() - startedAt };
  }

  function status(now: number): AgentStatus {
    cpu = Math.min(95, Math.max(5, cpu + ((seq * 13 + spec.seed) % 7) - 3));
    const out: AgentStatus = {
      system: {
        hostname: spec.agentId,
        cpuPct: cpu,
        cpuCores: 16,
        memUsedBytes: Math.round(MEM_TOTAL * (0.3 + (spec.seed % 20) / 100)),
        memTotalBytes: MEM_TOTAL,
        uptimeSec: Math.floor((now - startedAt) / 1000) + 86_400,
        disks: [{ mount: '/', sizeBytes: 500e9, usedBytes: 120e9, usedPct: 24 }],
        nics: [{ name: 'eth0', up: true, rxBytesPerSec: 60e6, txBytesPerSec: 55e6 }],
      },
    };
    if (channels.length > 0) {
      const list = channels.map((c) => c.status(now));
      if (now - lastScanAt >= RESCAN_MS) {
        lastScanAt = now;
        out.transcoder = { channels: list, scan: simScan(channels, now) };
      } else out.transcoder = { channels: list };
    }
    return out;
  }

  function beat(): void {
    if (sender.size === 0) return;
    const now = Date.now();
    const message: HeartbeatMessage = { type: 'heartbeat', seq: seq++, sentAt: now, status: status(now), events: [] };
    sender.send(message, now);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_STREAM_MESSAGE_BYTES });
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    sender.add(ws);
    const hello: HelloMessage = { type: 'hello', protocol: PROTOCOL_VERSION, agentId: spec.agentId, version: AGENT_VERSION, roles, epoch, heartbeatMs };
    ws.send(JSON.stringify(hello));
    ws.on('message', (data, isBinary) => {
      const parsed = isBinary ? { ok: false as const, reason: 'binary frames are not part of the protocol' } : parseConsoleMessage(data.toString());
      if (!parsed.ok) {
        ws.send(JSON.stringify({ type: 'rejected', reason: parsed.reason }));
        return;
      }
      if (parsed.message.type === 'configure') {
        sender.setDeltas(ws, parsed.message.channelDeltas === true);
        if (parsed.message.heartbeatMs !== heartbeatMs) {
          heartbeatMs = parsed.message.heartbeatMs;
          schedule();
        }
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      sockets.delete(ws);
      sender.remove(ws);
    });
  });

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!tokenMatches(bearerToken(req), spec.token)) {
      sendJson(res, 401, { error: 'wrong or missing token' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    if (req.method === 'GET' && url.pathname === '/v1/info') {
      sendJson(res, 200, info());
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/probe') {
      const read = await readJsonBody(req, MAX_COMMAND_BODY_BYTES);
      if (!read.ok) {
        sendJson(res, read.status, { error: read.reason });
        return;
      }
      const probe = ProbeRequest.safeParse(read.body);
      if (!probe.success) sendJson(res, 400, { error: describeZodError(probe.error) });
      else sendJson(res, 200, await runProbe(probe.data));
      return;
    }
    if (req.method === 'GET' && url.pathname === transcoderPaths.channels && channels.length > 0) {
      const now = Date.now();
      sendJson(res, 200, { channels: channels.map((c) => c.status(now)) });
      return;
    }
    const configPrefix = transcoderPaths.config('');
    if (req.method === 'GET' && url.pathname.startsWith(configPrefix)) {
      const channel = byName.get(decodeURIComponent(url.pathname.slice(configPrefix.length)));
      if (!channel) {
        sendJson(res, 404, { error: 'no such channel' });
        return;
      }
      const body: ChannelConfigResponse = { name: channel.name, hash: channel.hash, bytes: channel.bytes.length, contentBase64: channel.bytes.toString('base64') };
      sendJson(res, 200, body);
      return;
    }
    sendJson(res, 404, { error: `the simulator does not offer ${req.method} ${url.pathname}` });
  }

  acceptStreams(server, wss, spec.token);
  const port = await listenAgentServer(server, spec.port, spec.host);

  // One timer per simulated agent, as each real agent has its own; the first beat at a random phase.
  let timer: NodeJS.Timeout | null = null;
  function schedule(): void {
    if (timer) clearInterval(timer);
    timer = setInterval(beat, heartbeatMs);
  }
  const phase = setTimeout(schedule, Math.random() * heartbeatMs);

  return {
    agentId: spec.agentId,
    address: `${spec.host}:${port}`,
    token: spec.token,
    get streams() {
      return sockets.size;
    },
    async stop() {
      clearTimeout(phase);
      if (timer) clearInterval(timer);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
