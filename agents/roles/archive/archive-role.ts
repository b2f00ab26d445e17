/**
 * The archive role: records configured streams into a DVR tree (one folder per stream, one file per segment named by
 * its start time), keeps the index and hour digests, serves them and the segments to peers, and pulls segments from
 * a peer on command. The heartbeat carries per-stream summaries and the progress of resync jobs.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AgentEvent, ArchiveAgentConfig, ArchivePullRequest, ArchiveStatus, ArchiveStreamStatus, ResyncJob } from '../../protocol';
import { diskUsageOf, type DiskUsage } from '../common/disk-usage';
import type { Role, RoleContext } from '../role';
import { archiveRoutes } from './archive-routes';
import { Recorder } from './recorder';
import { newJob, runPull } from './segment-puller';
import { SETTLE_MS, StreamArchive } from './stream-archive';

const MAX_EVENTS = 256;
const KEPT_FINISHED_JOBS = 16;
const INDEX_FLUSH_MS = 1000;
const HEARTBEAT_JOBS = 8;
const HEARTBEAT_LIST = 4;

export function createArchiveRole(ctx: RoleContext, config: ArchiveAgentConfig | undefined): Role {
  if (!config) throw new Error('the archive role needs an "archive" section in the agent config');
  const cfg = config;
  const indexDir = cfg.indexDir ?? path.join(cfg.root, '.tally-index');
  const stagingRoot = path.join(cfg.root, '.tally-staging');
  let events: AgentEvent[] = [];
  const report = (kind: string, message: string) => {
    ctx.log(kind.includes('conflict') || kind.includes('rot') || kind.includes('failed') ? 'warn' : 'info', message, { kind });
    events.push({ at: Date.now(), kind, message: message.slice(0, 4096) });
    if (events.length > MAX_EVENTS) events = events.slice(-MAX_EVENTS);
  };

  const archives = new Map<string, StreamArchive>();
  const recorders = new Map<string, Recorder>();
  const jobs = new Map<string, ResyncJob>();
  let disk: DiskUsage | null = null;
  let servedBytes = 0;
  let indexing = true;
  let stopped = false;
  let scanning = false;
  const timers: NodeJS.Timeout[] = [];
  let retryTimer: NodeJS.Timeout | undefined;

  for (const s of cfg.streams) {
    const archive = new StreamArchive(s.name, cfg.root, indexDir, cfg.segmentSeconds, report);
    archives.set(s.name, archive);
    recorders.set(
      s.name,
      new Recorder({
        stream: s.name,
        input: s.input,
        ffmpegPath: cfg.ffmpegPath,
        segmentSeconds: cfg.segmentSeconds,
        stagingDir: path.join(stagingRoot, s.name),
        onSegment: (staged) => archive.addStaged(staged),
        report,
      }),
    );
  }

  /** Lists every stream's folder; files too fresh to index are looked at again shortly. */
  async function scanAll(): Promise<void> {
    if (scanning || stopped) return;
    scanning = true;
    let unsettled = 0;
    let failed = false;
    try {
      disk = await diskUsageOf(cfg.root);
      for (const archive of archives.values()) {
        unsettled += (await archive.scan()).unsettled;
        if (cfg.scrubBytesPerSec > 0) await archive.scrub((cfg.scrubBytesPerSec * cfg.scanIntervalMs) / 1000);
      }
    } catch (err) {
      failed = true;
      report('archive.scan-failed', `scan of ${cfg.root} failed: ${(err as Error).message}`);
    } finally {
      scanning = false;
    }
    if (unsettled > 0 && !stopped && !retryTimer) {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        void scanAll();
      }, SETTLE_MS);
    }
    if (unsettled === 0 && !failed) settleIndexing();
  }

  function settleIndexing(): void {
    if (!indexing) return;
    indexing = false;
    ctx.nudge();
  }

  async function flushAll(): Promise<void> {
    for (const archive of archives.values()) {
      await archive.index.flush().catch((err: Error) => report('archive.index-write-failed', `${archive.stream}: ${err.message}`));
    }
  }

  function startPull(req: ArchivePullRequest): { status: number; body: unknown } {
    const archive = archives.get(req.stream);
    if (!archive) return { status: 404, body: { error: `no stream ${req.stream}` } };
    if (cfg.peers && !cfg.peers.includes(req.peer.address)) return { status: 403, body: { error: `peer ${req.peer.address} is not in this agent's peers list` } };
    const id = `pull-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const job = newJob(id, req, Date.now());
    jobs.set(id, job);
    pruneJobs();
    report('archive.resync-started', `${req.stream}: pulling ${req.segments.length} segment(s) from ${req.peer.address} (job ${id})`);
    void runPull(job, req, archive, { maxSegmentBytes: cfg.maxSegmentBytes, concurrency: cfg.pullConcurrency, report }).then(() => {
      const summary = `${req.stream} from ${req.peer.address}: ${job.state}; ${job.segmentsFetched} fetched, ${job.segmentsRepaired} repaired, ${job.segmentsPresent} already present, ${job.conflictCount} conflict(s), ${job.refusedCount} refused, ${job.bytesDone} bytes (job ${id})${job.error ? `: ${job.error}` : ''}`;
      report(job.state === 'done' ? 'archive.resync-done' : job.state === 'partial' ? 'archive.resync-partial' : 'archive.resync-failed', summary);
      void flushAll();
      ctx.nudge();
    });
    return { status: 202, body: { jobId: id } };
  }

  function pruneJobs(): void {
    const finished = [...jobs.values()].filter((j) => j.state !== 'running').sort((a, b) => a.startedAt - b.startedAt);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED_JOBS))) jobs.delete(j.id);
  }

  function streamStatuses(): ArchiveStreamStatus[] {
    return [...archives.values()].map((archive) => {
      const rec = recorders.get(archive.stream)!;
      const { segments, bytes, oldestSegmentStartMs, newestSegmentStartMs, digestVersion, setDigest, hours, rotSegments } = archive.index.summary();
      return {
        name: archive.stream,
        recording: rec.recording,
        recorderState: rec.state,
        recorderRestarts: rec.restarts,
        recorderError: rec.lastError,
        segments,
        bytes,
        oldestSegmentStartMs,
        newestSegmentStartMs,
        digestVersion,
        setDigest,
        hours,
        rotSegments,
        conflicts: archive.conflicts,
      };
    });
  }

  /** What the heartbeat carries: kept small (the full conflict and refusal lists are at GET /v1/archive/jobs). */
  function fullStatus(): ArchiveStatus {
    const jobs = jobList()
      .slice(0, HEARTBEAT_JOBS)
      .map((j) => ({ ...j, conflicts: j.conflicts.slice(0, HEARTBEAT_LIST), refused: j.refused.slice(0, HEARTBEAT_LIST) }));
    return { root: cfg.root, indexing, disk, streams: streamStatuses(), jobs, servedBytes };
  }

  function jobList(): ResyncJob[] {
    return [...jobs.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, 16);
  }

  async function setRecording(stream: string, record: boolean): Promise<void> {
    const rec = recorders.get(stream)!;
    if (record) rec.start();
    else await rec.stop();
    report('archive.recording', `${stream}: recording ${record ? 'started' : 'stopped'} on command`);
  }

  return {
    name: 'archive',
    routes: archiveRoutes({
      archive: (stream) => archives.get(stream),
      status: fullStatus,
      jobs: jobList,
      startPull,
      setRecording,
      countServed: (n) => (servedBytes += n),
    }),
    async start() {
      for (const archive of archives.values()) await archive.open();
      for (const rec of recorders.values()) await rec.recoverLeftovers();
      timers.push(setInterval(() => void flushAll(), INDEX_FLUSH_MS));
      // The first scan hashes whatever is on disk and not yet indexed; the agent serves meanwhile.
      void scanAll().then(() => timers.push(setInterval(() => void scanAll(), cfg.scanIntervalMs)));
      for (const s of cfg.streams) if (s.record) recorders.get(s.name)!.start();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      if (retryTimer) clearTimeout(retryTimer);
      await Promise.all([...recorders.values()].map((r) => r.stop()));
      await flushAll();
    },
    status(): { archive: ArchiveStatus } {
      return { archive: fullStatus() };
    },
    drainEvents(): AgentEvent[] {
      const out = events;
      events = [];
      return out;
    },
  };
}
