/**
 * Client for a peer agent's archive routes. Every answer is treated as hostile: JSON answers are size-capped and
 * schema-checked; segment bodies must have exactly the size the peer's index announced and are hashed while they
 * arrive, then written (in pieces of up to 4 MiB) to a file the caller opens only after the headers passed.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { z } from 'zod';
import { describeZodError } from '../../protocol';
import { type BodySink, ProtocolRefusal, StrictHttpClient } from './strict-http-client';

export class PeerRefusal extends Error {}

const REQUEST_TIMEOUT_MS = 15_000;

/** `host:port` or `[v6]:port` → its parts. */
export function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(colon + 1)) };
}

export class PeerClient {
  private readonly http: StrictHttpClient;

  constructor(address: string, token: string) {
    const { host, port } = splitAddress(address);
    this.http = new StrictHttpClient(host, port, { authorization: `Bearer ${token}` }, REQUEST_TIMEOUT_MS);
  }

  close(): void {
    this.http.close();
  }

  async getJson<T>(pathAndQuery: string, schema: z.ZodType<T>, limitBytes: number): Promise<T> {
    const parts: Buffer[] = [];
    await this.get(pathAndQuery, {
      onHead(status, contentLength) {
        if (status !== 200) throw new PeerRefusal(`peer answered ${status} to ${pathAndQuery}`);
        if (contentLength > limitBytes) throw new PeerRefusal(`peer's answer to ${pathAndQuery} is ${contentLength} bytes, over the ${limitBytes}-byte limit`);
      },
      async write(staged) {
        parts.push(Buffer.from(staged));
      },
    });
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (err) {
      throw new PeerRefusal(`peer's answer to ${pathAndQuery} is not JSON: ${(err as Error).message}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new PeerRefusal(`peer's answer to ${pathAndQuery} is invalid: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }

  /**
   * Streams a segment into a file, hashing every chunk as it arrives: `openTarget` is called only once the status
   * and length are right. Answers the sha256 of what was written; the caller compares it with the index.
   */
  async fetchSegment(
    pathAndQuery: string,
    expectedBytes: number,
    openTarget: () => Promise<FileHandle>,
    onBytes: (n: number) => void,
  ): Promise<{ sha256: string }> {
    const hash = createHash('sha256');
    let fh: FileHandle | undefined;
    let offset = 0;
    await this.get(pathAndQuery, {
      onHead(status, contentLength) {
        if (status !== 200) throw new PeerRefusal(`peer answered ${status}`);
        if (contentLength !== expectedBytes) throw new PeerRefusal(`peer sends ${contentLength} bytes where its index says ${expectedBytes}`);
      },
      onChunk: (view) => hash.update(view),
      async write(staged) {
        fh ??= await openTarget();
        for (let at = 0; at < staged.length; ) {
          const { bytesWritten } = await fh.write(staged, at, staged.length - at, offset);
          at += bytesWritten;
          offset += bytesWritten;
        }
        onBytes(staged.length);
      },
    });
    if (!fh && expectedBytes === 0) await openTarget();
    return { sha256: hash.digest('hex') };
  }

  private async get(pathAndQuery: string, sink: BodySink): Promise<void> {
    try {
      await this.http.get(pathAndQuery, sink);
    } catch (err) {
      throw err instanceof PeerRefusal ? err : new PeerRefusal(err instanceof ProtocolRefusal ? err.message : `peer: ${(err as Error).message}`);
    }
  }
}
