/**
 * One interface for every media server the origin role can read. An adapter knows its server's API path, how to
 * page through it, and how to parse one answer (a pure function tested on captured responses). The I/O is the
 * injected `HttpGet`, so adapters run the same against a real server and against fixtures.
 */
import type { AudioTrackInfo, OriginServerKind, VideoTrackInfo } from '../../protocol';

export interface HttpResponse {
  status: number;
  body: string;
}

/** GETs one URL (credentials, timeout and size limit are bound in by the caller); rejects on network errors. */
export type HttpGet = (url: string) => Promise<HttpResponse>;

/** A stream as parsed from one answer, before rates are derived from byte counters. */
export interface ParsedStream {
  app: string;
  name: string;
  publishing: boolean;
  clients: number;
  /** What the server itself says, or null when it says nothing. */
  bitrateInKbps: number | null;
  bitrateOutKbps: number | null;
  /** Cumulative byte counters, when the server keeps them (used for rates between two polls). */
  bytesIn: number | null;
  bytesOut: number | null;
  uptimeSec: number | null;
  video: VideoTrackInfo | null;
  audio: AudioTrackInfo | null;
}

/** Streams plus what was odd in the answer (skipped entries, unreadable fields); problems never stop a poll. */
export interface ParsedStreams {
  streams: ParsedStream[];
  problems: string[];
}

export interface ListRequest {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  path: string;
  pageSize: number;
  /** Stop paging once this many streams are in hand. */
  maxStreams: number;
  /** Wall clock of the poll (ms), for servers that give start times instead of ages. */
  nowMs: number;
}

export interface OriginAdapter {
  readonly kind: OriginServerKind;
  readonly defaultPath: string;
  /** Reads every page of the server's stream list; rejects with a readable message when the server cannot be read. */
  listStreams(get: HttpGet, request: ListRequest): Promise<ParsedStreams>;
}

/** A bound on paging loops whatever the server answers. */
export const MAX_PAGES = 100;

export function pageLimit(request: ListRequest): number {
  return Math.min(MAX_PAGES, Math.ceil(request.maxStreams / request.pageSize) + 1);
}

export class OriginApiError extends Error {
  override readonly name = 'OriginApiError';
}

/** Throws unless the answer is a 200. */
export function requireOk(response: HttpResponse, what: string): string {
  if (response.status !== 200) {
    const hint = response.status === 401 || response.status === 403 ? ' (check the credentials in the origin config)' : '';
    throw new OriginApiError(`${what} answered HTTP ${response.status}${hint}`);
  }
  return response.body;
}

export function parseJsonBody(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new OriginApiError(`${what} did not answer JSON: ${(err as Error).message}`);
  }
}

export function withQuery(url: string, query: Record<string, string | number>): string {
  const u = new URL(url);
  for (const [key, value] of Object.entries(query)) u.searchParams.set(key, String(value));
  return u.toString();
}
