/**
 * Archive cross-replication with real ffmpeg recording and real agent processes.
 *
 * The lab channel (ffmpeg test source, real time) is sent over UDP on loopback to one port per archive host.
 * archive-a records it; archive-b is its replica. Two recorders never write the same bytes for the same seconds,
 * so byte-identical replicas come from copying, not from recording twice: the test stops the primary's recorder for
 * ~12 s while the replica records (crash mode), brings the primary back (recovery mode), finds the gaps by digests,
 * pulls both ways, and compares every file's sha256. Then bit rot, a conflict, and a hostile peer.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { archiveHostConfig, type LabChannelSource, startLabChannelSource } from '../../agents/lab/archive-lab';
import { type Lab, startLab } from '../../agents/lab/lab';
import {
  ArchiveStatus,
  ArchiveVerifyResult,
  hourKeyOfMs,
  hourKeyOfSegmentName,
  segmentNameForStartMs,
  StreamDigests,
} from '../../agents/protocol/archive';
import { missingRangesByMember } from '../../main/core/archive/missing-ranges';
import { setIdentity } from '../../main/core/archive/set-identity';
import { call, compare, digestsOf, execute, freeUdpPort, get, indexOf, type Member, runJob, treeHashes, waitFor } from './helpers/archive-console';

const STREAM = 'lab-1';
const CRASH_MS = 12_000;
let dir: string;
let lab: Lab | undefined;
let source: LabChannelSource | undefined;
let a: Member;
let b: Member;
let streamDir: { a: string; b: string };

const streamsOf = async (m: Member) => (await get(m, '/v1/archive/status', ArchiveStatus)).streams;
const segmentCount = async (m: Member) => (await streamsOf(m))[0]!.segments;
const setRecording = async (m: Member, record: boolean) => assert.equal((await call(m, 'POST', '/v1/archive/recording', { stream: STREAM, record })).status, 200);

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tally-archive-it-'));
  const ports = [await freeUdpPort(), await freeUdpPort()];
  source = startLabChannelSource({ ports });
  const roots = { a: path.join(dir, 'archive-a-dvr'), b: path.join(dir, 'archive-b-dvr') };
  lab = await startLab(
    [
      { name: 'archive-a', ip: '127.0.66.1', ...archiveHostConfig({ root: roots.a, inputPort: ports[0]!, record: true, scanIntervalMs: 1000 }) },
      { name: 'archive-b', ip: '127.0.66.2', ...archiveHostConfig({ root: roots.b, inputPort: ports[1]!, record: false, scanIntervalMs: 1000 }) },
    ],
    { dir, nodeArgs: ['--import', 'tsx'], agentEntry: 'agents/main.ts' },
  );
  [a, b] = lab.agents.map((x) => ({ name: x.name, address: x.address, token: x.token })) as [Member, Member];
  streamDir = { a: path.join(roots.a, STREAM), b: path.join(roots.b, STREAM) };
});

after(async () => {
  const problems: string[] = [];
  await lab?.stop().catch((err: Error) => problems.push(`lab: ${err.message}`));
  await source?.stop().catch((err: Error) => problems.push(`source: ${err.message}`));
  if (problems.length === 0) rmSync(dir, { recursive: true, force: true });
  else console.error(`cleanup problems (kept ${dir}): ${problems.join('; ')}`);
});

test('the primary records the lab channel with real ffmpeg; the replica gets byte-identical copies by resync', async () => {
  await waitFor('3 recorded segments on archive-a', 20_000, async () => (await segmentCount(a)) >= 3);
  const { plan } = await compare([a, b], STREAM);
  assert.ok(plan.pulls.length >= 1 && plan.pulls.every((p) => p.memberId === 'archive-b' && p.sourceId === 'archive-a'));
  const jobs = await execute([a, b], plan);
  assert.ok(jobs.every((j) => j.state === 'done'), JSON.stringify(jobs));
  const copied = plan.pulls.flatMap((p) => p.segments);
  const ha = treeHashes(streamDir.a);
  const hb = treeHashes(streamDir.b);
  for (const name of copied) assert.equal(hb.get(name), ha.get(name), name);
  assert.ok([...hb.keys()].every((n) => copied.includes(n)), 'nothing but the copied segments on the replica');
});

test('crash and recovery: a 12 s gap on the primary is found by digests, filled from the replica, trees identical', async (t) => {
  await setRecording(a, false);
  const crashStart = Date.now();
  await setRecording(b, true);
  const bBefore = await segmentCount(b);
  await waitFor('the replica recording in crash mode', 20_000, async () => (await segmentCount(b)) >= bBefore + 3);
  await new Promise((r) => setTimeout(r, Math.max(0, CRASH_MS - (Date.now() - crashStart))));
  await setRecording(b, false);
  const aBefore = await segmentCount(a);
  await setRecording(a, true);
  await waitFor('the primary recording again', 20_000, async () => (await segmentCount(a)) >= aBefore + 2);

  const first = await compare([a, b], STREAM);
  assert.ok(first.diffs.length >= 1, 'the digests differ');
  const ranges = missingRangesByMember(first.diffs);
  const gapOnA = ranges['archive-a']!;
  assert.equal(gapOnA.length, 1, `one gap on the primary: ${JSON.stringify(gapOnA)}`);
  const gapMs = gapOnA[0]!.toMs - gapOnA[0]!.fromMs;
  t.diagnostic(`gap on archive-a: ${gapMs} ms, ${gapOnA[0]!.segments} segments; plan: ${first.plan.pulls.map((p) => `${p.memberId}<-${p.sourceId} ${p.segments.length}`).join(', ')}`);
  assert.ok(gapMs >= 6000 && gapMs <= CRASH_MS + 4000, `the gap is the replica's ${gapMs} ms of crash-mode recording`);
  assert.ok(first.plan.pulls.some((p) => p.memberId === 'archive-a' && p.sourceId === 'archive-b'));
  assert.ok(first.plan.pulls.some((p) => p.memberId === 'archive-b' && p.sourceId === 'archive-a'));
  const jobs = await execute([a, b], first.plan);
  assert.ok(jobs.every((j) => j.state === 'done' && j.segmentsPresent === 0 && j.conflictCount === 0), JSON.stringify(jobs));

  await setRecording(a, false);
  const final = await compare([a, b], STREAM);
  await execute([a, b], final.plan);
  const ha = treeHashes(streamDir.a);
  const hb = treeHashes(streamDir.b);
  assert.ok(ha.size >= 10, `${ha.size} segments`);
  t.diagnostic(`${ha.size} segments identical on both members`);
  assert.deepEqual([...hb.entries()], [...ha.entries()], 'every file, byte for byte');
  const [da, db] = await Promise.all([digestsOf(a, STREAM), digestsOf(b, STREAM)]);
  const identity = setIdentity([
    { memberId: 'archive-a', digest: da.setDigest },
    { memberId: 'archive-b', digest: db.setDigest },
  ]);
  assert.equal(identity.state, 'identical');
  assert.equal((await compare([a, b], STREAM)).plan.pulls.length, 0, 'nothing left to pull');
});

test('a corrupted segment on the replica is flagged as bit rot and repaired from the primary', async () => {
  const victim = [...treeHashes(streamDir.b).keys()][2]!;
  const file = path.join(streamDir.b, victim);
  const { mtime, size } = statSync(file);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from('bit rot!'), 0, 8, Math.floor(size / 2));
  closeSync(fd);
  utimesSync(file, mtime, mtime); // real rot leaves the mtime alone: only re-hashing finds it
  const verify = ArchiveVerifyResult.parse((await call(b, 'POST', '/v1/archive/verify', { stream: STREAM })).json);
  assert.deepEqual(verify.rot, [victim]);

  const { diffs, plan } = await compare([a, b], STREAM);
  assert.ok(diffs.some((d) => d.rot['archive-b']?.some((s) => s.name === victim)));
  assert.deepEqual(plan.pulls.map((p) => [p.memberId, p.sourceId, p.segments, p.repairs]), [['archive-b', 'archive-a', [victim], 1]]);
  const [job] = await execute([a, b], plan);
  assert.equal(job!.segmentsRepaired, 1);
  assert.equal(treeHashes(streamDir.b).get(victim), treeHashes(streamDir.a).get(victim));
  assert.deepEqual(ArchiveVerifyResult.parse((await call(b, 'POST', '/v1/archive/verify', { stream: STREAM })).json).rot, []);
});

test('different bytes under one name on the two members are a conflict: reported, nothing overwritten', async () => {
  const startMs = Date.now() - 3_600_000;
  const name = segmentNameForStartMs(startMs);
  writeFileSync(path.join(streamDir.a, name), 'recorded on a');
  writeFileSync(path.join(streamDir.b, name), 'recorded on b');
  const hour = hourKeyOfSegmentName(name);
  for (const m of [a, b]) await waitFor(`${m.name} to index ${name}`, 15_000, async () => (await indexOf(m, STREAM, hour)).segments.some((s) => s.name === name));
  const before = { a: treeHashes(streamDir.a), b: treeHashes(streamDir.b) };

  const { diffs, plan } = await compare([a, b], STREAM);
  assert.deepEqual(diffs.flatMap((d) => d.conflicts.map((c) => c.name)), [name]);
  assert.equal(plan.pulls.length, 0, 'the plan never touches a conflict');
  // A console that asked anyway: the agent refuses to overwrite.
  const job = await runJob(b, { stream: STREAM, peer: { address: a.address, token: a.token }, segments: [name] });
  assert.equal(job.state, 'partial');
  assert.equal(job.conflictCount, 1);
  assert.equal(job.conflicts[0]!.name, name);
  assert.deepEqual({ a: treeHashes(streamDir.a), b: treeHashes(streamDir.b) }, before);
  assert.ok((await streamsOf(b))[0]!.conflicts >= 1);
  for (const d of Object.values(streamDir)) rmSync(path.join(d, name));
  await waitFor('the conflict files to leave the index', 15_000, async () => {
    const [ia, ib] = await Promise.all([indexOf(a, STREAM, hour), indexOf(b, STREAM, hour)]);
    return ![...ia.segments, ...ib.segments].some((s) => s.name === name);
  });
});

test('a hostile peer (bad names, absolute paths, huge bodies, wrong hashes) is refused and nothing is written', async (t) => {
  const goodStartMs = Date.now() - 2 * 3_600_000;
  const hour = hourKeyOfMs(goodStartMs);
  const good = segmentNameForStartMs(goodStartMs);
  const goodBytes = Buffer.alloc(1000, 7);
  const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
  const entry = (name: string) => ({ name, startMs: goodStartMs, durationMs: 2000, sizeBytes: 1000, sha256: sha(goodBytes) });
  const goodEntry = entry(good);
  const index = (segments: unknown[]) => JSON.stringify({ stream: STREAM, hour, segments });
  const withLength = (res: http.ServerResponse, body: string | Buffer, type = 'application/json') => {
    res.writeHead(200, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  };
  type Mode = { index: (res: http.ServerResponse) => void; segment: (res: http.ServerResponse) => void; expect: RegExp };
  const goodIndex = (res: http.ServerResponse) => withLength(res, index([goodEntry]));
  const goodSegment = (res: http.ServerResponse) => withLength(res, goodBytes, 'video/mp2t');
  const modes: Record<string, Mode> = {
    'dot-dot name': { index: (res) => withLength(res, index([entry('../../../etc/cron.d/x')])), segment: goodSegment, expect: /not a segment name/ },
    'absolute path': { index: (res) => withLength(res, index([entry('/etc/passwd')])), segment: goodSegment, expect: /not a segment name/ },
    'NUL in a name': { index: (res) => withLength(res, index([entry(`${good}\u0000`)])), segment: goodSegment, expect: /not a segment name/ },
    'index for another stream': { index: (res) => withLength(res, JSON.stringify({ stream: 'other', hour, segments: [goodEntry] })), segment: goodSegment, expect: /when asked for/ },
    'huge index answer': { index: (res) => withLength(res, ' '.repeat(9 * 1024 * 1024)), segment: goodSegment, expect: /over the \d+-byte limit/ },
    'index without a length (chunked)': {
      index: (res) => {
        const body = index([goodEntry]);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(body.slice(0, 10));
        res.end(body.slice(10));
      },
      segment: goodSegment,
      expect: /Transfer-Encoding/,
    },
    'huge segment body, no length': {
      index: goodIndex,
      segment: (res) => {
        res.writeHead(200, { 'content-type': 'video/mp2t' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const pump = () => {
          while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
          if (sent < 64 * 1024 * 1024 && !res.destroyed) res.once('drain', pump);
          else res.end();
        };
        res.on('error', () => undefined); // the agent hangs up on us: that is the point
        pump();
      },
      expect: /Transfer-Encoding/,
    },
    'huge declared length': {
      index: goodIndex,
      segment: (res) => {
        res.writeHead(200, { 'content-length': String(1024 * 1024 * 1024) });
        res.write(Buffer.alloc(64 * 1024));
      },
      expect: /sends 1073741824 bytes where its index says 1000/,
    },
    'more bytes than its length': {
      index: goodIndex,
      segment: (res) => {
        res.socket!.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n'), goodBytes, Buffer.alloc(5000, 9)]));
      },
      expect: /more bytes than its Content-Length/,
    },
    'connection cut mid-body': {
      index: goodIndex,
      segment: (res) => res.socket!.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n'), goodBytes.subarray(0, 10)])),
      expect: /closed the connection/,
    },
    'wrong hash': { index: goodIndex, segment: (res) => withLength(res, Buffer.alloc(1000, 8), 'video/mp2t'), expect: /does not match the peer's index/ },
    'short body': { index: goodIndex, segment: (res) => withLength(res, goodBytes.subarray(0, 10), 'video/mp2t'), expect: /sends 10 bytes where its index says 1000/ },
  };
  let mode: Mode = modes['dot-dot name']!;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/v1/archive/index')) mode.index(res);
    else if (req.url?.startsWith('/v1/archive/segment')) mode.segment(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.66.3', resolve));
  const hostile = `127.0.66.3:${(server.address() as AddressInfo).port}`;
  try {
    const before = readdirSync(streamDir.b).sort();
    const digestBefore = (await get(b, `/v1/archive/digests?stream=${STREAM}`, StreamDigests)).setDigest;
    for (const [label, m] of Object.entries(modes)) {
      mode = m;
      const job = await runJob(b, { stream: STREAM, peer: { address: hostile, token: 'hostile-token-0123456789' }, segments: [good] }, 30_000);
      assert.ok(job.state === 'failed' || job.state === 'partial', `${label}: ${job.state}`);
      assert.equal(job.segmentsFetched, 0, label);
      const reason = job.error ?? job.refused[0]?.reason ?? '';
      t.diagnostic(`${label}: ${job.state}: ${reason}`);
      assert.match(reason, m.expect, label);
      assert.deepEqual(readdirSync(streamDir.b).sort(), before, `${label}: nothing written, no temp file left`);
    }
    assert.equal((await get(b, `/v1/archive/digests?stream=${STREAM}`, StreamDigests)).setDigest, digestBefore);
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
});

test('segment names that would leave the tree are refused by the serving agent', async () => {
  for (const name of ['../agent.json', '/etc/passwd', '..%2F..%2Fagent.json', `${segmentNameForStartMs(Date.now())}%00`]) {
    const { status } = await call(a, 'GET', `/v1/archive/segment?stream=${STREAM}&name=${name}`);
    assert.equal(status, 400, name);
  }
  assert.equal((await call(a, 'GET', '/v1/archive/segment?stream=..&name=x')).status, 400);
  const res = await fetch(`http://${a.address}/v1/archive/index?stream=${STREAM}&hour=${hourKeyOfMs(Date.now())}`);
  assert.equal(res.status, 401, 'token required');
});
