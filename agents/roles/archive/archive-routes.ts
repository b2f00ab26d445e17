/**
 * The archive role's HTTP routes (the agent has already checked the token and capped the body). Query values and
 * bodies are schema-checked; a segment is served only under a valid segment name that the index knows, opened
 * without following symlinks, and only if its size still matches the index.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import {
  ArchivePullRequest,
  ArchiveRecordingRequest,
  type ArchiveStatus,
  ArchiveVerifyRequest,
  type ArchiveVerifyResult,
  describeZodError,
  HourKey,
  type HourIndex,
  SegmentName,
  StreamName,
  type StreamDigests,
} from '../../protocol';
import type { BinaryRouteResult, Route, RouteResult } from '../role';
import { BufferPool } from './buffer-pool';
import type { StreamArchive } from './stream-archive';

export interface ArchiveRouteDeps {
  archive(stream: string): StreamArchive | undefined;
  status(): ArchiveStatus;
  jobs(): unknown;
  startPull(req: ArchivePullRequest): { status: number; body: unknown };
  setRecording(stream: string, record: boolean): Promise<void>;
  countServed(bytes: number): void;
}

/** Segments up to this size are read in one go and sent as one buffer: much faster than a file stream. */
const WHOLE_READ_MAX_BYTES = 32 * 1024 * 1024;

async function readWhole(fh: FileHandle, buf: Buffer): Promise<void> {
  try {
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead !== buf.length) throw new Error(`read ${bytesRead} of ${buf.length} bytes`);
  } finally {
    await fh.close();
  }
}

const bad = (message: string): RouteResult => ({ status: 400, body: { error: message } });
const notFound = (message: string): RouteResult => ({ status: 404, body: { error: message } });

// Built once: zod compiles an object schema on first use, which costs milliseconds per request if rebuilt each time.
const DigestsQuery = z.object({ stream: StreamName, from: HourKey.optional(), to: HourKey.optional() });
const IndexQuery = z.object({ stream: StreamName, hour: HourKey });
const SegmentQuery = z.object({ stream: StreamName, name: SegmentName });

function query<T>(req: IncomingMessage, schema: z.ZodType<T>): { ok: true; q: T } | { ok: false; error: RouteResult } {
  const params = Object.fromEntries(new URL(req.url ?? '/', 'http://agent').searchParams);
  const parsed = schema.safeParse(params);
  return parsed.success ? { ok: true, q: parsed.data } : { ok: false, error: bad(describeZodError(parsed.error)) };
}

export function archiveRoutes(deps: ArchiveRouteDeps): Route[] {
  const pool = new BufferPool();
  const withStream = (stream: string) => deps.archive(stream);
  return [
    { method: 'GET', path: '/v1/archive/status', handle: async () => ({ status: 200, body: deps.status() }) },
    { method: 'GET', path: '/v1/archive/jobs', handle: async () => ({ status: 200, body: { jobs: deps.jobs() } }) },
    {
      method: 'GET',
      path: '/v1/archive/digests',
      async handle({ req }) {
        const r = query(req, DigestsQuery);
        if (!r.ok) return r.error;
        const archive = withStream(r.q.stream);
        if (!archive) return notFound(`no stream ${r.q.stream}`);
        const summary = archive.index.summary();
        const body: StreamDigests = {
          stream: r.q.stream,
          digestVersion: summary.digestVersion,
          setDigest: summary.setDigest,
          hours: archive.index.hourDigests(r.q.from, r.q.to),
        };
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: '/v1/archive/index',
      async handle({ req }) {
        const r = query(req, IndexQuery);
        if (!r.ok) return r.error;
        const archive = withStream(r.q.stream);
        if (!archive) return notFound(`no stream ${r.q.stream}`);
        const body: HourIndex = { stream: r.q.stream, hour: r.q.hour, segments: archive.index.hourIndex(r.q.hour) };
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: '/v1/archive/segment',
      async handle({ req }): Promise<RouteResult | BinaryRouteResult> {
        const r = query(req, SegmentQuery);
        if (!r.ok) return r.error;
        const archive = withStream(r.q.stream);
        if (!archive) return notFound(`no stream ${r.q.stream}`);
        const entry = archive.index.get(r.q.name);
        if (!entry) return notFound(`no segment ${r.q.name} in ${r.q.stream}`);
        if (entry.rot) return { status: 409, body: { error: `${r.q.name} has bit rot here` } };
        const fh = await open(archive.segmentPath(r.q.name), constants.O_RDONLY | constants.O_NOFOLLOW).catch((err: NodeJS.ErrnoException) => err);
        if (fh instanceof Error) return fh.code === 'ENOENT' ? notFound(`no segment ${r.q.name} in ${r.q.stream}`) : { status: 500, body: { error: fh.message } };
        const st = await fh.stat();
        if (!st.isFile() || st.size !== entry.sizeBytes) {
          await fh.close();
          return { status: 409, body: { error: `${r.q.name} is ${st.size} bytes on disk, ${entry.sizeBytes} in the index` } };
        }
        const headers = { 'x-tally-sha256': entry.sha256 };
        if (entry.sizeBytes <= WHOLE_READ_MAX_BYTES) {
          const { buf, release } = pool.take(entry.sizeBytes);
          try {
            await readWhole(fh, buf);
          } catch (err) {
            release();
            throw err;
          }
          deps.countServed(entry.sizeBytes);
          return { status: 200, data: buf, sizeBytes: entry.sizeBytes, contentType: 'video/mp2t', headers, release };
        }
        const data = fh.createReadStream({ highWaterMark: 1024 * 1024, end: entry.sizeBytes - 1 });
        data.on('end', () => deps.countServed(entry.sizeBytes));
        return { status: 200, data, sizeBytes: entry.sizeBytes, contentType: 'video/mp2t', headers };
      },
    },
    {
      method: 'POST',
      path: '/v1/archive/pull',
      async handle({ body }) {
        const parsed = ArchivePullRequest.safeParse(body);
        if (!parsed.success) return bad(describeZodError(parsed.error));
        return deps.startPull(parsed.data);
      },
    },
    {
      method: 'POST',
      path: '/v1/archive/verify',
      async handle({ body }) {
        const parsed = ArchiveVerifyRequest.safeParse(body);
        if (!parsed.success) return bad(describeZodError(parsed.error));
        const archive = withStream(parsed.data.stream);
        if (!archive) return notFound(`no stream ${parsed.data.stream}`);
        const hours = parsed.data.hours;
        const names = hours ? hours.flatMap((h) => archive.index.hourIndex(h).map((s) => s.name)) : undefined;
        const { checked, rot } = await archive.verify(names);
        const result: ArchiveVerifyResult = { stream: parsed.data.stream, checked, rot };
        return { status: 200, body: result };
      },
    },
    {
      method: 'POST',
      path: '/v1/archive/recording',
      async handle({ body }) {
        const parsed = ArchiveRecordingRequest.safeParse(body);
        if (!parsed.success) return bad(describeZodError(parsed.error));
        if (!withStream(parsed.data.stream)) return notFound(`no stream ${parsed.data.stream}`);
        await deps.setRecording(parsed.data.stream, parsed.data.record);
        return { status: 200, body: { stream: parsed.data.stream, record: parsed.data.record } };
      },
    },
  ];
}
