import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { AgentEvent, AgentStatus, RoleName } from '../protocol';

export interface RouteResult {
  status: number;
  body: unknown;
}

/**
 * A binary answer (segment bytes): a Buffer is sent in one write, a stream is piped. The agent sets content-type and
 * content-length from the fields.
 */
export interface BinaryRouteResult {
  status: number;
  data: Buffer | Readable;
  sizeBytes: number;
  contentType: string;
  headers?: Record<string, string>;
  /** Called once the answer is written or the connection is gone (the role may then reuse `data`). */
  release?: () => void;
}

/** One HTTP command a role offers; `body` is the parsed JSON body (already size-limited), or undefined for GET. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or a path whose last segment is `:param`. */
  path: string;
  handle(input: { body: unknown; params: Record<string, string>; req: IncomingMessage }): Promise<RouteResult | BinaryRouteResult>;
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
