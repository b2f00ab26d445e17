/**
 * A pull job: fetch named segments of one stream from a peer. The peer's index is read first (and checked); each
 * segment is then decided (fetch, repair bit rot, already present, conflict), and the ones to copy are streamed by
 * a few workers (`concurrency` connections) into temp files, hashed on the way and checked against the peer's index;
 * each verified file is fdatasynced while the next ones arrive, and batches of durable files are moved into place with
 * one folder fsync each. Nothing the peer sends reaches a segment name unless its size and sha256 match and it is on disk.
 */
import {
  type ArchivePullRequest,
  HourIndex,
  hourKeyOfSegmentName,
  MAX_PEER_JSON_BYTES,
  type ResyncJob,
  type SegmentConflictReport,
  type SegmentEntry,
} from '../../protocol';
import { fileSha256 } from '../common/file-sha256';
import { PeerClient, PeerRefusal } from './peer-client';
import { Committer, type CopyWork, fetchVerified } from './segment-copy';
import { decidePull, type LocalCopy } from './pull-decision';
import type { Report, StreamArchive } from './stream-archive';

const LIST_LIMIT = 64;
/** Durable segments moved into place together, with one fsync of the folder. */
const PLACE_BATCH = 32;

export interface PullOptions {
  maxSegmentBytes: number;
  concurrency: number;
  report: Report;
  now?: () => number;
}

export function newJob(id: string, req: ArchivePullRequest, now: number): ResyncJob {
  return {
    id,
    stream: req.stream,
    peer: req.peer.address,
    state: 'running',
    startedAt: now,
    finishedAt: null,
    segmentsTotal: req.segments.length,
    segmentsFetched: 0,
    segmentsPresent: 0,
    segmentsRepaired: 0,
    bytesTotal: 0,
    bytesDone: 0,
    throughputBytesPerSec: 0,
    etaSec: null,
    conflicts: [],
    conflictCount: 0,
    refused: [],
    refusedCount: 0,
    error: null,
  };
}

export async function runPull(job: ResyncJob, req: ArchivePullRequest, archive: StreamArchive, opts: PullOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  const client = new PeerClient(req.peer.address, req.peer.token);
  const claimed: string[] = [];
  try {
    const peerIndex = await readPeerIndex(client, req);
    const work: CopyWork[] = [];
    for (const name of req.segments) {
      const peer = peerIndex.get(name);
      if (!peer) refuse(job, name, "not in the peer's index");
      else if (peer.rot) refuse(job, name, "the peer's copy has bit rot");
      else if (peer.sizeBytes > opts.maxSegmentBytes) refuse(job, name, `${peer.sizeBytes} bytes is over this agent's ${opts.maxSegmentBytes}-byte segment limit`);
      else if (archive.inFlight.has(name)) refuse(job, name, 'another pull is writing this segment');
      else {
        archive.inFlight.add(name);
        claimed.push(name);
        const w = await decide(job, archive, peer, req.peer.address, opts.report);
        if (w) work.push(w);
      }
    }
    job.bytesTotal = work.reduce((sum, w) => sum + w.peer.sizeBytes, 0);
    const queue = [...work];
    const counted = new Map<string, number>();
    const failed = (name: string, err: Error) => {
      job.bytesDone -= counted.get(name) ?? 0;
      refuse(job, name, err.message);
    };
    const committer = new Committer(archive, {
      maxSyncing: Math.max(2, opts.concurrency),
      placeBatch: PLACE_BATCH,
      onPlaced: (w) => (w.repair ? job.segmentsRepaired++ : job.segmentsFetched++),
      onFailed: (w, err) => failed(w.peer.name, err),
      onProblem: (message) => (job.error = message.slice(0, 1024)),
    });
    const worker = async () => {
      for (let w = queue.shift(); w; w = queue.shift()) {
        const name = w.peer.name;
        const onBytes = (n: number) => {
          counted.set(name, (counted.get(name) ?? 0) + n);
          job.bytesDone += n;
          updateRate(job, now());
        };
        const fetched = await fetchVerified(archive, client, w, onBytes).catch((err: Error) => failed(name, err));
        if (fetched) await committer.add(fetched);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, queue.length) }, worker));
    await committer.finish();
    job.state = job.conflictCount + job.refusedCount > 0 || job.error ? 'partial' : 'done';
  } catch (err) {
    job.state = 'failed';
    job.error = (err as Error).message.slice(0, 1024);
  } finally {
    for (const name of claimed) archive.inFlight.delete(name);
    client.close();
    job.finishedAt = now();
    updateRate(job, now());
    job.etaSec = job.state === 'running' ? job.etaSec : 0;
  }
}

async function readPeerIndex(client: PeerClient, req: ArchivePullRequest): Promise<Map<string, SegmentEntry>> {
  const byName = new Map<string, SegmentEntry>();
  const hours = [...new Set(req.segments.map(hourKeyOfSegmentName))].sort();
  for (const hour of hours) {
    const q = `/v1/archive/index?stream=${encodeURIComponent(req.stream)}&hour=${encodeURIComponent(hour)}`;
    const index = await client.getJson(q, HourIndex, MAX_PEER_JSON_BYTES);
    if (index.stream !== req.stream || index.hour !== hour) throw new PeerRefusal(`peer answered the index of ${index.stream} ${index.hour} when asked for ${req.stream} ${hour}`);
    for (const s of index.segments) byName.set(s.name, s);
  }
  return byName;
}

async function decide(job: ResyncJob, archive: StreamArchive, peer: SegmentEntry, peerAddress: string, report: Report): Promise<CopyWork | undefined> {
  const local = await localCopy(archive, peer.name);
  const d = decidePull(local, peer);
  switch (d.action) {
    case 'fetch':
      return { peer, repair: false };
    case 'repair':
      return { peer, repair: true };
    case 'present':
      if (d.indexUnindexed) await archive.indexFile(peer.name, { startMs: peer.startMs, durationMs: peer.durationMs });
      job.segmentsPresent++;
      return undefined;
    case 'conflict': {
      const conflict: SegmentConflictReport = { stream: archive.stream, name: peer.name, localSha256: d.localSha256, peerSha256: peer.sha256, peer: peerAddress };
      job.conflictCount++;
      archive.conflicts++;
      if (job.conflicts.length < LIST_LIMIT) job.conflicts.push(conflict);
      report('archive.conflict', `${archive.stream}/${peer.name}: this member holds sha256 ${d.localSha256.slice(0, 12)}…, peer ${peerAddress} holds ${peer.sha256.slice(0, 12)}…; nothing overwritten`);
      return undefined;
    }
  }
}

async function localCopy(archive: StreamArchive, name: string): Promise<LocalCopy> {
  const entry = archive.index.get(name);
  let bytesSha256: string;
  try {
    bytesSha256 = (await fileSha256(archive.segmentPath(name))).sha256;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (entry) archive.index.remove(name);
    return { kind: 'absent' };
  }
  if (!entry) return { kind: 'unindexed', bytesSha256 };
  if (bytesSha256 !== entry.sha256) archive.index.setRot(name, true);
  return { kind: 'indexed', indexSha256: entry.sha256, bytesSha256 };
}

function refuse(job: ResyncJob, name: string | null, reason: string): void {
  job.refusedCount++;
  if (job.refused.length < LIST_LIMIT) job.refused.push({ name, reason: reason.slice(0, 512) });
}

function updateRate(job: ResyncJob, nowMs: number): void {
  const elapsedSec = Math.max(0.001, (nowMs - job.startedAt) / 1000);
  job.throughputBytesPerSec = job.bytesDone / elapsedSec;
  const left = job.bytesTotal - job.bytesDone;
  job.etaSec = job.throughputBytesPerSec > 0 ? left / job.throughputBytesPerSec : null;
}
