/** The real `HttpGet` for adapters: Node's fetch with a timeout, a body size limit and the configured credentials. */
import type { OriginCredentials } from '../../protocol';
import type { HttpGet } from './adapter';

export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export interface HttpClientOptions {
  timeoutMs: number;
  credentials?: OriginCredentials;
  maxBytes?: number;
}

export function authorizationHeader(credentials: OriginCredentials | undefined): string | undefined {
  if (!credentials) return undefined;
  if (credentials.type === 'bearer') return `Bearer ${credentials.token}`;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Credentials written into the URL itself are moved to a header, never shown. */
export function splitUrlCredentials(url: string): { url: string; credentials?: OriginCredentials } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url: u.toString().replace(/\/+$/, '') };
  const credentials: OriginCredentials = {
    type: 'basic',
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), credentials };
}

export function createHttpGet(options: HttpClientOptions): HttpGet {
  const limit = options.maxBytes ?? MAX_ANSWER_BYTES;
  const authorization = authorizationHeader(options.credentials);
  return async (url) => {
    const headers: Record<string, string> = { accept: 'application/json, application/xml, text/xml;q=0.9, */*;q=0.5' };
    if (authorization) headers.authorization = authorization;
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (err) {
      throw new Error(describeFetchError(err, url, options.timeoutMs), { cause: err });
    }
    return { status: response.status, body: await readCapped(response, limit) };
  };
}

async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the answer is over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFetchError(err: unknown, url: string, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const where = new URL(url).host;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `${where} did not answer within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return `${where} cannot be reached: ${cause ?? e.message}`;
}
