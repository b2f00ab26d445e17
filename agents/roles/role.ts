import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { AgentEvent, AgentStatus, RoleName } from '../protocol';

export interface RouteResult {
  status: number;
  body: unknown;
}

/** A binary answer streamed to the caller (segment bytes); the agent sets content-type and content-length. */
export interface StreamRouteResult {
  status: number;
  stream: Readable;
  sizeBytes: number;
  contentType: string;
  headers?: Record<string, string>;
}

/** One HTTP command a role offers; `body` is the parsed JSON body (already size-limited), or undefined for GET. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or a path whose last segment is `:param`. */
  path: string;
  handle(input: { body: unknown; params: Record<string, string>; req: IncomingMessage }): Promise<RouteResult | StreamRouteResult>;
}

/** One interface for every role an agent can run. A role is registered once in roles/index.ts. */
export interface Role {
  readonly name: RoleName;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The role's part of the next heartbeat; must be cheap — it is called every heartbeat. */
  status(): Partial<AgentStatus>;
  /** Events since the last call; they ride on the next heartbeat. */
  drainEvents(): AgentEvent[];
  readonly routes: Route[];
}

export interface RoleContext {
  log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
  /** Called when a role has something the console should hear before the next heartbeat. */
  nudge(): void;
}
