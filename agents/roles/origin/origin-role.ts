/**
 * The origin role: polls the local media server's API every `pollMs` through its adapter and reports the streams on
 * each heartbeat. A server that cannot be read is a state of the report (`error` + the reason), never a crash; the
 * last streams seen stay in the report, marked by that state, until the server answers again.
 */
import {
  type AgentEvent,
  MAX_ORIGIN_STREAMS,
  type OriginAgentConfig,
  type OriginStatus,
} from '../../protocol';
import type { Role, RoleContext } from '../role';
import type { HttpGet } from './adapter';
import { originAdapters } from './adapters';
import { createHttpGet, splitUrlCredentials } from './http-client';
import { fitReport } from './report-budget';
import { streamChangeEvents } from './stream-changes';
import { type CounterSample, withRates } from './stream-rates';

export interface OriginRoleDeps {
  /** Replaces the real HTTP client (tests). */
  get?: HttpGet;
  now?: () => number;
}

export interface OriginRole extends Role {
  /** Polls once now (tests and the first poll); resolves when the report is updated. */
  pollNow(): Promise<void>;
}

const MAX_PROBLEM_EVENTS = 5;

export function createOriginRole(ctx: RoleContext, config: OriginAgentConfig | undefined, deps: OriginRoleDeps = {}): OriginRole {
  if (!config) throw new Error('the origin role needs an "origin" section in the agent config (server, apiUrl)');
  const cfg: OriginAgentConfig = config;
  const adapter = originAdapters[cfg.server];
  const now = deps.now ?? Date.now;
  const target = splitUrlCredentials(config.apiUrl);
  const get = deps.get ?? createHttpGet({ timeoutMs: config.timeoutMs, credentials: config.credentials ?? target.credentials });
  const path = config.path ?? adapter.defaultPath;

  let status: OriginStatus = {
    server: config.server,
    apiUrl: `${target.url}${path}`,
    state: 'starting',
    error: null,
    polledAt: null,
    streams: [],
    streamsTotal: 0,
  };
  let counters = new Map<string, CounterSample>();
  let lastProblems = new Set<string>();
  let events: AgentEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  function event(kind: string, message: string): void {
    events.push({ at: now(), kind, message });
  }

  async function poll(): Promise<void> {
    const at = now();
    try {
      const listed = await adapter.listStreams(get, { baseUrl: target.url, path, pageSize: cfg.pageSize, maxStreams: MAX_ORIGIN_STREAMS, nowMs: at });
      if (stopped) return;
      const rated = withRates(listed.streams, counters, at);
      counters = rated.memory;
      const reported = fitReport(rated.streams);
      const changes = status.state === 'starting' ? [] : streamChangeEvents(status.streams, reported, at);
      if (status.state === 'error') {
        ctx.log('info', 'origin API answers again', { api: status.apiUrl });
        event('origin.api-up', `${cfg.server} API at ${status.apiUrl} answers again`);
      }
      reportProblems(listed.problems);
      events.push(...changes);
      const nudge = status.state !== 'ok' || changes.length > 0;
      if (reported.length < listed.streams.length && status.streamsTotal <= status.streams.length) {
        ctx.log('warn', 'origin report cut to fit a heartbeat', { listed: listed.streams.length, reported: reported.length });
        event('origin.report-truncated', `${listed.streams.length} streams listed; the report carries ${reported.length} (publishing ones first)`);
      }
      status = { ...status, state: 'ok', error: null, polledAt: at, streams: reported, streamsTotal: listed.streams.length };
      if (nudge) ctx.nudge();
    } catch (err) {
      if (stopped) return;
      const message = (err as Error).message.slice(0, 1024);
      if (status.state !== 'error' || status.error !== message) {
        ctx.log('warn', 'origin API cannot be read', { api: status.apiUrl, error: message });
        event('origin.api-down', `${cfg.server} API at ${status.apiUrl}: ${message}`);
        status = { ...status, state: 'error', error: message };
        ctx.nudge();
      }
    }
  }

  function reportProblems(problems: string[]): void {
    const fresh = problems.filter((p) => !lastProblems.has(p));
    lastProblems = new Set(problems);
    for (const problem of fresh.slice(0, MAX_PROBLEM_EVENTS)) {
      ctx.log('warn', 'origin API answer was odd', { api: status.apiUrl, problem });
      event('origin.api-problem', problem.slice(0, 4096));
    }
    if (fresh.length > MAX_PROBLEM_EVENTS) event('origin.api-problem', `${fresh.length - MAX_PROBLEM_EVENTS} more problems in the answer`);
  }

  function pollNow(): Promise<void> {
    inFlight ??= poll().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function loop(): void {
    if (stopped) return;
    void pollNow().then(() => {
      if (stopped) return;
      timer = setTimeout(loop, cfg.pollMs);
      timer.unref();
    });
  }

  return {
    name: 'origin',
    routes: [],
    pollNow,
    async start() {
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    status() {
      return { origin: status };
    },
    drainEvents() {
      const out = events;
      events = [];
      return out;
    },
  };
}
