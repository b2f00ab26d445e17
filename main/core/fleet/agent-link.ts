import WebSocket from 'ws';
import {
  type AgentInfo,
  type AgentMessage,
  type ChannelStatus,
  type ConsoleMessage,
  MAX_STREAM_MESSAGE_BYTES,
  parseAgentMessage,
  PROTOCOL_VERSION,
  STREAM_PATH,
} from '../../../agents/protocol';
import type { LinkState } from '../api';
import type { Clock } from '../clock';
import { agentHttp } from './agent-http';
import { mergeHeartbeat } from './heartbeat-merge';

export interface LinkHandlers {
  onState(state: LinkState, error: string | null): void;
  onMessage(message: AgentMessage, receivedAt: number): void;
  /** A frame that failed validation: the link stays up, the engine journals it. */
  onRejected(reason: string): void;
}

export interface AgentLink {
  readonly state: LinkState;
  close(): void;
  /** Sends a message on the stream if it is up; returns whether it was sent. */
  send(message: ConsoleMessage): boolean;
  /** GET/POST against the agent's HTTP API with its token; used for API checks and commands. */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, timeoutMs?: number): Promise<T>;
}

export type AgentConnector = (target: { address: string; token: string }, handlers: LinkHandlers) => AgentLink;

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 2000;
const AUTH_RETRY_MS = 10_000;
/**
 * Commands and fetches in flight to one agent at a time; more wait their turn. Without a bound, a console meeting
 * 1,000 agents × 20 channels fetched 20,000 config files at once — one socket each — and ran out of file descriptors.
 * The health checks (GET /v1/info, POST /v1/probe) never wait: their timeouts are the detector's.
 */
export const MAX_REQUESTS_IN_FLIGHT = 4;
const UNQUEUED_PATHS = new Set(['/v1/info', '/v1/probe']);

/** The real connector: one WebSocket per agent, reconnecting with back-off, plus HTTP for commands. */
export function createWsConnector(clock: Clock): AgentConnector {
  return (target, handlers) => new WsAgentLink(target, handlers, clock);
}

class WsAgentLink implements AgentLink {
  state: LinkState = 'connecting';
  private ws: WebSocket | null = null;
  private closed = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: { cancel(): void } | null = null;
  /** The agent's channels as of its last heartbeat on this stream, the base its channel deltas apply to. */
  private channels: ChannelStatus[] | null = null;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly target: { address: string; token: string },
    private readonly handlers: LinkHandlers,
    private readonly clock: Clock,
  ) {
    this.connect();
  }

  private setState(state: LinkState, error: string | null): void {
    this.state = state;
    this.handlers.onState(state, error);
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(`ws://${this.target.address}${STREAM_PATH}`, {
      headers: { authorization: `Bearer ${this.target.token}` },
      maxPayload: MAX_STREAM_MESSAGE_BYTES,
      handshakeTimeout: 3000,
    });
    this.ws = ws;
    this.channels = null;
    let authFailed = false;
    ws.on('unexpected-response', (_req, res) => {
      if (res.statusCode === 401) {
        authFailed = true;
        this.setState('auth-failed', 'the agent refused our token (401)');
      } else {
        this.setState('disconnected', `the agent answered HTTP ${res.statusCode}`);
      }
      res.resume();
      ws.terminate();
    });
    // If our event loop was too slow to see the agent's answer before the handshake timeout, ws gives up on the
    // request but a late upgrade still hands over an open socket that nothing reads or closes: the agent then streams
    // into it forever. Close such a socket at once (seen with a thousand agents connecting while the console was busy).
    ws.on('upgrade', (res) => {
      if (ws.readyState !== WebSocket.CONNECTING) res.socket.destroy();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.handlers.onRejected('binary frame');
        return;
      }
      const parsed = parseAgentMessage(data.toString());
      if (!parsed.ok) {
        this.handlers.onRejected(parsed.reason);
        return;
      }
      if (parsed.message.type === 'hello') {
        if (parsed.message.protocol !== PROTOCOL_VERSION) {
          this.setState('incompatible', `agent speaks protocol ${parsed.message.protocol}, console ${PROTOCOL_VERSION}`);
          ws.close();
          return;
        }
        this.retryMs = RETRY_MIN_MS;
        this.channels = null;
        this.setState('connected', null);
      } else if (this.state !== 'connected') {
        this.handlers.onRejected(`${parsed.message.type} before hello`);
        return;
      }
      let message: AgentMessage = parsed.message;
      if (message.type === 'heartbeat') {
        const merged = mergeHeartbeat(message, this.channels);
        this.channels = merged.channels;
        message = merged.message;
        if (!merged.ok) this.handlers.onRejected(merged.reason);
      }
      this.handlers.onMessage(message, this.clock.now());
    });
    ws.on('error', (err) => {
      if (!authFailed && this.state !== 'incompatible') this.setState('disconnected', err.message);
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed) return;
      if (this.state === 'connected' || this.state === 'connecting') this.setState('disconnected', 'stream closed');
      const wait = authFailed || this.state === 'incompatible' ? AUTH_RETRY_MS : this.retryMs;
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      this.retryTimer = this.clock.setTimeout(() => this.connect(), wait);
    });
  }

  send(message: ConsoleMessage): boolean {
    if (this.state !== 'connected' || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  close(): void {
    this.closed = true;
    this.retryTimer?.cancel();
    this.ws?.terminate();
    this.ws = null;
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, timeoutMs = 3000): Promise<T> {
    if (UNQUEUED_PATHS.has(path)) return this.fetchJson<T>(method, path, body, timeoutMs);
    // A finished request hands its slot straight to the next in line, so the bound is exact.
    if (this.inFlight >= MAX_REQUESTS_IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
    try {
      return await this.fetchJson<T>(method, path, body, timeoutMs);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private async fetchJson<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, timeoutMs: number): Promise<T> {
    const res = await agentHttp(this.target.address, this.target.token, method, path, body, timeoutMs);
    let json: unknown;
    try {
      json = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      throw new Error(`agent answered ${res.status} with a body that is not JSON`);
    }
    if (res.status < 200 || res.status > 299) {
      const message = (json as { error?: unknown } | undefined)?.error;
      throw new Error(`agent answered ${res.status}: ${typeof message === 'string' ? message : res.text.slice(0, 200)}`);
    }
    return json as T;
  }
}

export type { AgentInfo };
