/**
 * The pull path against fake peers on loopback: bodies read in place into the staging buffers (several flushes per
 * body, odd read boundaries), and whole pull jobs (concurrent workers, fdatasync before a name, two jobs after the
 * same names, wrong bytes).
 */
import assert from 'node:assert/strict';
import { createHash, randomFillSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { hourKeyOfSegmentName, type SegmentEntry, segmentNameForStartMs } from '../../../../../agents/protocol/archive';
import { PeerClient } from '../../../../../agents/roles/archive/peer-client';
import { Committer, type Fetched } from '../../../../../agents/roles/archive/segment-copy';
import { newJob, runPull } from '../../../../../agents/roles/archive/segment-puller';
import { StreamArchive } from '../../../../../agents/roles/archive/stream-archive';

const dir = mkdtempSync(path.join(tmpdir(), 'tally-pull-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const fresh = (tag: string) => path.join(dir, `${tag}-${seq++}`);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const TOKEN = 'test-token-0123456789abcdef';

/** A raw TCP peer: answers every request on a connection with the next of `answers`, written in odd pieces. */
async function rawPeer(answers: Buffer[]): Promise<{ address: string; close(): Promise<void> }> {
  const server = net.createServer((sock) => {
    let pending = '';
    sock.on('data', async (d) => {
      pending += d.toString('latin1');
      while (pending.includes('\r\n\r\n')) {
        pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
        const answer = answers.shift();
        if (!answer) return sock.destroy();
        for (let at = 0, n = 1; at < answer.length; at += n, n = (n * 7 + 4093) % 900_001) {
          sock.write(answer.subarray(at, at + n));
          if (n % 3 === 0) await new Promise((r) => setImmediate(r));
        }
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => undefined),
  };
}

const answer = (body: Buffer, extra = Buffer.alloc(0)) =>
  Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: video/mp2t\r\ncontent-length: ${body.length}\r\n\r\n`), body, extra]);

test('PeerClient.fetchSegment: multi-MiB, small and empty bodies on one connection arrive whole and hashed right', async () => {
  const bodies = [9 * 1024 * 1024 + 123, 1000, 0, 4 * 1024 * 1024].map((n) => randomFillSync(Buffer.alloc(n)));
  const peer = await rawPeer(bodies.map((b) => answer(b)));
  const client = new PeerClient(peer.address, TOKEN);
  try {
    for (const [i, body] of bodies.entries()) {
      const file = fresh('body');
      let written = 0;
      let fh: FileHandle | undefined;
      const { sha256 } = await client.fetchSegment(`/v1/archive/segment?i=${i}`, body.length, async () => (fh = await open(file, 'wx')), (n) => (written += n));
      await fh?.close();
      assert.equal(sha256, sha(body), `body ${i}`);
      assert.equal(written, body.length);
      assert.ok(readFileSync(file).equals(body), `body ${i} on disk`);
    }
  } finally {
    client.close();
    await peer.close();
  }
});

test('PeerClient.fetchSegment: bytes past the announced length are refused, with the staging buffers read in place', async () => {
  const body = randomFillSync(Buffer.alloc(3 * 1024 * 1024));
  const peer = await rawPeer([answer(body, Buffer.alloc(5000, 9))]);
  const client = new PeerClient(peer.address, TOKEN);
  try {
    const file = fresh('overrun');
    let fh: FileHandle | undefined;
    await assert.rejects(
      client.fetchSegment('/v1/archive/segment', body.length, async () => (fh = await open(file, 'wx')), () => undefined),
      /more bytes than its Content-Length/,
    );
    await fh?.close();
  } finally {
    client.close();
    await peer.close();
  }
});

/** A fake peer agent over node:http: serves an hour index and segments, counting what it serves. */
async function httpPeer(stream: string, segments: { entry: SegmentEntry; bytes: Buffer }[]) {
  const served = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/v1/archive/index') {
      const hour = url.searchParams.get('hour');
      const body = JSON.stringify({ stream, hour, segments: segments.filter((s) => hourKeyOfSegmentName(s.entry.name) === hour).map((s) => s.entry) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    const name = url.searchParams.get('name') ?? '';
    const s = segments.find((x) => x.entry.name === name);
    if (!s) return void res.writeHead(404, { 'content-length': 0 }).end();
    served.set(name, (served.get(name) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'video/mp2t', 'content-length': s.bytes.length }).end(s.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function makeSegments(count: number, sizeBytes: number) {
  const t0 = Date.UTC(2025, 0, 1, 5, 59, 0); // spans two hours
  return Array.from({ length: count }, (_, i) => {
    const bytes = randomFillSync(Buffer.alloc(sizeBytes + i));
    const name = segmentNameForStartMs(t0 + i * 2000);
    return { entry: { name, startMs: t0 + i * 2000, durationMs: 2000, sizeBytes: bytes.length, sha256: sha(bytes) }, bytes };
  });
}

async function openArchive(stream: string): Promise<StreamArchive> {
  const root = fresh('root');
  const archive = new StreamArchive(stream, root, path.join(root, '.idx'), 2, () => undefined);
  await archive.open();
  return archive;
}

const pull = (archive: StreamArchive, address: string, names: string[]) => {
  const req = { stream: archive.stream, peer: { address, token: TOKEN }, segments: names };
  const job = newJob(`job-${seq++}`, req, Date.now());
  return runPull(job, req, archive, { maxSegmentBytes: 64 * 1024 * 1024, concurrency: 4, report: () => undefined }).then(() => job);
};

test('runPull: 4 workers fetch every missing segment once; files, index and folder match the peer', async () => {
  const segs = makeSegments(60, 150_000);
  const peer = await httpPeer('lab', segs);
  const archive = await openArchive('lab');
  try {
    const job = await pull(archive, peer.address, segs.map((s) => s.entry.name));
    assert.equal(job.state, 'done', JSON.stringify(job.refused));
    assert.equal(job.segmentsFetched, segs.length);
    assert.equal(job.bytesDone, job.bytesTotal);
    assert.deepEqual(readdirSync(archive.dir).sort(), segs.map((s) => s.entry.name).sort(), 'every segment, no temp file left');
    for (const s of segs) {
      assert.ok(readFileSync(path.join(archive.dir, s.entry.name)).equals(s.bytes), s.entry.name);
      assert.equal(archive.index.get(s.entry.name)?.sha256, s.entry.sha256);
      assert.equal(peer.served.get(s.entry.name), 1, `${s.entry.name} sent once`);
    }
    const again = await pull(archive, peer.address, segs.map((s) => s.entry.name));
    assert.equal(again.segmentsPresent, segs.length);
    assert.ok([...peer.served.values()].every((n) => n === 1), 'nothing sent again');
  } finally {
    await peer.close();
  }
});

test('runPull: two jobs after the same names at once never write one segment twice', async () => {
  const segs = makeSegments(40, 100_000);
  const peer = await httpPeer('lab', segs);
  const archive = await openArchive('lab');
  try {
    const names = segs.map((s) => s.entry.name);
    const [a, b] = await Promise.all([pull(archive, peer.address, names), pull(archive, peer.address, [...names].reverse())]);
    assert.equal(a.segmentsFetched + b.segmentsFetched + a.segmentsPresent + b.segmentsPresent, segs.length);
    assert.equal(a.refusedCount + b.refusedCount + a.segmentsPresent + b.segmentsPresent, segs.length);
    for (const r of [...a.refused, ...b.refused]) assert.match(r.reason, /another pull is writing this segment/);
    for (const s of segs) assert.equal(peer.served.get(s.entry.name) ?? 0, archive.index.get(s.entry.name) ? 1 : 0);
    assert.deepEqual(readdirSync(archive.dir).sort(), names.sort());
  } finally {
    await peer.close();
  }
});

test("runPull: bytes that do not match the peer's index never get a segment name; the rest still land", async () => {
  const segs = makeSegments(10, 50_000);
  const liar = segs[3]!;
  const served = [...segs.slice(0, 3), { ...liar, bytes: Buffer.alloc(liar.bytes.length, 1) }, ...segs.slice(4)];
  const peer = await httpPeer('lab', served);
  const archive = await openArchive('lab');
  try {
    const job = await pull(archive, peer.address, segs.map((s) => s.entry.name));
    assert.equal(job.state, 'partial');
    assert.equal(job.segmentsFetched, 9);
    assert.match(job.refused[0]!.reason, /does not match the peer's index/);
    assert.ok(!existsSync(path.join(archive.dir, liar.entry.name)));
    assert.equal(archive.index.get(liar.entry.name), undefined);
    assert.equal(readdirSync(archive.dir).length, 9, 'no temp file left');
  } finally {
    await peer.close();
  }
});

test('Committer: each file is fdatasynced before it has its name; an existing file of that name is left alone', async () => {
  const archive = await openArchive('lab');
  const segs = makeSegments(12, 20_000);
  const taken = segs[5]!;
  writeFileSync(path.join(archive.dir, taken.entry.name), 'already here');
  const placed: string[] = [];
  const failed: [string, string][] = [];
  const committer = new Committer(archive, {
    maxSyncing: 2,
    placeBatch: 5,
    onPlaced: (w) => placed.push(w.peer.name),
    onFailed: (w, err) => failed.push([w.peer.name, err.message]),
    onProblem: (m) => assert.fail(m),
  });
  for (const s of segs) {
    const tmp = path.join(archive.dir, `.${s.entry.name}.part-0a0b`);
    const fh = await open(tmp, 'wx');
    await fh.write(s.bytes);
    const finalPath = path.join(archive.dir, s.entry.name);
    // The committer sees this handle: at fdatasync time the segment must not have its name yet (unless it was there).
    const watched = new Proxy(fh, {
      get(target, prop) {
        if (prop === 'datasync') {
          return async () => {
            if (s !== taken) assert.ok(!existsSync(finalPath), `${s.entry.name} named before it was durable`);
            await target.datasync();
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    await committer.add({ work: { peer: s.entry, repair: false }, tmp, fh: watched } as Fetched);
  }
  await committer.finish();
  assert.deepEqual(placed.sort(), segs.filter((s) => s !== taken).map((s) => s.entry.name).sort());
  assert.deepEqual(failed.map(([n]) => n), [taken.entry.name]);
  assert.match(failed[0]![1], /appeared meanwhile; left alone/);
  assert.equal(readFileSync(path.join(archive.dir, taken.entry.name), 'utf8'), 'already here');
  assert.equal(archive.index.get(taken.entry.name), undefined);
  assert.deepEqual(readdirSync(archive.dir).filter((n) => n.includes('.part-')), [], 'no temp file left');
});
