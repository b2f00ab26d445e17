/** What the console does with an agent, reduced to what the tests need: HTTP commands and the heartbeat stream. */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { type AgentEvent, type HeartbeatMessage, parseAgentMessage, STREAM_PATH } from '../../../agents/protocol';

export interface AgentTarget {
  address: string;
  token: string;
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Like the console's AgentLink.request: the parsed body, or an error naming the status and the agent's reason. */
export async function requestAgent(target: AgentTarget, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, timeoutMs = 5000): Promise<unknown> {
  const answer = await callAgent(target, method, path, body, timeoutMs);
  if (answer.status >= 300) throw new Error(`agent answered ${answer.status}: ${String(answer.body.error ?? '')}`);
  return answer.body;
}

/** One HTTP command with the agent's token; never throws on an HTTP error status (the tests check it). */
export async function callAgent<T = Record<string, unknown>>(
  target: AgentTarget,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<ApiAnswer<T>> {
  const res = await fetch(`http://${target.address}${path}`, {
    method,
    headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

export interface AgentStream {
  heartbeats: HeartbeatMessage[];
  events: AgentEvent[];
  /** Frames the console would have rejected (should stay empty). */
  rejected: string[];
  /** Resolves with the first heartbeat (already received or still to come) that satisfies `test`. */
  waitForHeartbeat(test: (hb: HeartbeatMessage) => boolean, timeoutMs: number, what: string): Promise<HeartbeatMessage>;
  waitForEvent(test: (event: AgentEvent) => boolean, timeoutMs: number, what: string): Promise<AgentEvent>;
  /** Calls `listener` with every heartbeat from now on, as the console's engine would receive them. */
  onHeartbeat(listener: (hb: HeartbeatMessage) => void): void;
  close(): void;
}

/** Opens the agent's stream as the console does (Bearer token on /v1/stream) and keeps what arrives. */
export async function openAgentStream(target: AgentTarget, timeoutMs = 5000): Promise<AgentStream> {
  const ws = new WebSocket(`ws://${target.address}${STREAM_PATH}`, { headers: { authorization: `Bearer ${target.token}` } });
  const heartbeats: HeartbeatMessage[] = [];
  const events: AgentEvent[] = [];
  const rejected: string[] = [];
  const waiters = new Set<() => void>();
  const listeners: ((hb: HeartbeatMessage) => void)[] = [];
  ws.on('message', (data) => {
    const parsed = parseAgentMessage(data.toString());
    if (!parsed.ok) {
      rejected.push(parsed.reason);
      return;
    }
    if (parsed.message.type !== 'heartbeat') return;
    heartbeats.push(parsed.message);
    if (heartbeats.length > 2000) heartbeats.splice(0, 1000);
    events.push(...parsed.message.events);
    for (const listener of listeners) listener(parsed.message);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no stream from ${target.address} within ${timeoutMs} ms`)), timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

  function waitUntil<T>(find: () => T | undefined, waitMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const found = find();
      if (found !== undefined) return resolve(found);
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${waitMs} ms waiting for ${what}`));
      }, waitMs);
      waiters.add(check);
    });
  }

  return {
    heartbeats,
    events,
    rejected,
    waitForHeartbeat: (test, waitMs, what) => waitUntil(() => heartbeats.find(test), waitMs, what),
    waitForEvent: (test, waitMs, what) => waitUntil(() => events.find(test), waitMs, what),
    onHeartbeat: (listener) => void listeners.push(listener),
    close: () => ws.terminate(),
  };
}

/** Polls `probe` until it returns a value (not undefined/false), at most `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** True while a process with this id exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // it exited between the two looks
    throw err;
  }
  return !/^State:\s+Z/m.test(status);
}
