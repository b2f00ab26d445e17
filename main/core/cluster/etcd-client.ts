/**
 * The few etcd v3 calls Tally needs — leases, one compare-and-swap transaction, ranges, deletes — spoken over etcd's
 * own JSON gateway (`/v3/…`, served by every etcd ≥ 3.3 on its client port). No gRPC runtime or protobuf files ride
 * into the desktop app, and every call has a deadline we choose, which the lease arithmetic of election.ts relies on.
 * Keys and values are UTF-8 strings here; base64 and int64-as-string are the gateway's and stay in this file.
 */

export interface EtcdOptions {
  /** Client URLs, e.g. http://10.0.0.5:2379. Tried in order; the last one that answered is tried first. */
  endpoints: string[];
  /** Per-request deadline. */
  timeoutMs?: number;
  /** etcd's authentication, when the cluster has it on. */
  username?: string;
  password?: string;
}

export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  lease: string | null;
}

export type Compare =
  | { key: string; target: 'create'; createRevision: number }
  | { key: string; target: 'value'; value: string };

export type TxnOp = { put: { key: string; value: string; lease?: string } } | { delete: { key: string } } | { range: { key: string } };

export interface TxnResult {
  succeeded: boolean;
  /** The key-values of the range operations that ran, in order. */
  ranges: KeyValue[][];
}

export class EtcdError extends Error {}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : '');

/** The end of the range that holds every key starting with `prefix`. */
export function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      bytes[i]!++;
      return bytes.subarray(0, i + 1).toString('latin1');
    }
  }
  return '\0';
}

interface RawKv {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  lease?: string;
}

function kvOf(raw: RawKv): KeyValue {
  return {
    key: unb64(raw.key),
    value: unb64(raw.value),
    createRevision: Number(raw.create_revision ?? 0),
    modRevision: Number(raw.mod_revision ?? 0),
    lease: raw.lease && raw.lease !== '0' ? raw.lease : null,
  };
}

export class EtcdClient {
  private readonly endpoints: string[];
  private readonly timeoutMs: number;
  private token: string | null = null;

  constructor(private readonly options: EtcdOptions) {
    if (options.endpoints.length === 0) throw new EtcdError('no etcd endpoints given');
    for (const e of options.endpoints) {
      if (!/^https?:\/\/[^/\s]+\/?$/.test(e)) throw new EtcdError(`etcd endpoint "${e}" is not a URL like http://host:2379`);
    }
    this.endpoints = options.endpoints.map((e) => e.replace(/\/$/, ''));
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  /** The endpoint calls go to first. */
  get endpoint(): string {
    return this.endpoints[0]!;
  }

  private async post<T>(path: string, body: unknown, retryAuth = true): Promise<T> {
    let lastError: Error = new EtcdError('no endpoint tried');
    for (let i = 0; i < this.endpoints.length; i++) {
      const base = this.endpoints[i]!;
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(this.token ? { authorization: this.token } : {}) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        const e = err as Error;
        lastError = new EtcdError(`etcd at ${base} did not answer ${path}: ${e.name === 'TimeoutError' ? `no reply in ${this.timeoutMs} ms` : ((e.cause as Error | undefined)?.message ?? e.message)}`);
        continue;
      }
      const text = await res.text();
      if (res.status === 401 && this.options.username && retryAuth) {
        await this.authenticate(base);
        return this.post<T>(path, body, false);
      }
      if (!res.ok) throw new EtcdError(`etcd at ${base} refused ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
      if (i > 0) this.endpoints.unshift(...this.endpoints.splice(i, 1));
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new EtcdError(`etcd at ${base} answered ${path} with something that is not JSON`);
      }
    }
    throw lastError;
  }

  private async authenticate(base: string): Promise<void> {
    const res = await fetch(`${base}/v3/auth/authenticate`, {
      method: 'POST',
      body: JSON.stringify({ name: this.options.username, password: this.options.password ?? '' }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new EtcdError(`etcd at ${base} refused user ${this.options.username}: HTTP ${res.status}`);
    this.token = ((await res.json()) as { token?: string }).token ?? null;
  }

  async grantLease(ttlSec: number): Promise<{ id: string; ttlSec: number }> {
    const r = await this.post<{ ID?: string; TTL?: string; error?: string }>('/v3/lease/grant', { TTL: ttlSec });
    if (!r.ID) throw new EtcdError(`etcd granted no lease: ${r.error ?? 'no ID in the answer'}`);
    return { id: r.ID, ttlSec: Number(r.TTL ?? ttlSec) };
  }

  /** One keep-alive; the TTL left, or 0 when the lease has already expired. */
  async keepAlive(id: string): Promise<number> {
    const r = await this.post<{ result?: { TTL?: string }; error?: { message?: string } }>('/v3/lease/keepalive', { ID: id });
    if (!r.result) throw new EtcdError(`etcd keep-alive failed: ${r.error?.message ?? 'no result'}`);
    return Number(r.result.TTL ?? 0);
  }

  async revokeLease(id: string): Promise<void> {
    await this.post('/v3/lease/revoke', { ID: id });
  }

  async get(key: string): Promise<KeyValue | null> {
    const r = await this.post<{ kvs?: RawKv[] }>('/v3/kv/range', { key: b64(key) });
    return r.kvs?.[0] ? kvOf(r.kvs[0]) : null;
  }

  async list(prefix: string): Promise<KeyValue[]> {
    const r = await this.post<{ kvs?: RawKv[] }>('/v3/kv/range', { key: b64(prefix), range_end: b64(prefixEnd(prefix)) });
    return (r.kvs ?? []).map(kvOf);
  }

  async txn(compare: Compare[], success: TxnOp[], failure: TxnOp[] = []): Promise<TxnResult> {
    const cmp = compare.map((c) =>
      c.target === 'create'
        ? { key: b64(c.key), target: 'CREATE', result: 'EQUAL', create_revision: String(c.createRevision) }
        : { key: b64(c.key), target: 'VALUE', result: 'EQUAL', value: b64(c.value) },
    );
    const op = (o: TxnOp) =>
      'put' in o
        ? { request_put: { key: b64(o.put.key), value: b64(o.put.value), ...(o.put.lease ? { lease: o.put.lease } : {}) } }
        : 'delete' in o
          ? { request_delete_range: { key: b64(o.delete.key) } }
          : { request_range: { key: b64(o.range.key) } };
    const r = await this.post<{ succeeded?: boolean; responses?: { response_range?: { kvs?: RawKv[] } }[] }>('/v3/kv/txn', {
      compare: cmp,
      success: success.map(op),
      failure: failure.map(op),
    });
    return {
      succeeded: r.succeeded === true,
      ranges: (r.responses ?? []).filter((x) => x.response_range).map((x) => (x.response_range!.kvs ?? []).map(kvOf)),
    };
  }

  async delete(key: string): Promise<void> {
    await this.post('/v3/kv/deleterange', { key: b64(key) });
  }
}
