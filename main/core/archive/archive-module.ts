/**
 * The archive module: the archive and storage parts of every heartbeat → replica sets (grouped by stream name) and
 * storage groups (by group name); per-hour digest compare and drill-down through the agents' routes; resync jobs,
 * manual and automatic (recovery mode); findings for thin sets, full disks, overdue gaps and conflicts.
 */
import {
  type ArchiveStatus,
  ArchivePullAccepted,
  HourIndex,
  type ResyncJob,
  type StorageStatus,
  StreamDigests,
} from '../../../agents/protocol';
import type { CallContext } from '../api';
import { ApiError, describeInputError } from '../dispatch';
import type { EngineContext, EngineModule } from '../engine-context';
import type { Finding } from '../findings/finding';
import type { FindingsModule } from '../findings/findings-module';
import type { HostRuntime } from '../fleet/fleet-monitor';
import { loadStoredValue } from '../store/stored-value';
import {
  type ArchiveCommandName,
  type ArchiveOverview,
  type ArchiveQueryName,
  ArchiveSettings,
  DEFAULT_ARCHIVE_SETTINGS,
  type ReplicaSetView,
  type ResyncJobView,
  type ResyncPreview,
  type StorageGroupView,
} from './archive-contract';
import { emptyGapTracker, type GapTrackerState, trackGaps } from './gap-tracker';
import { hoursThatDiffer } from './hour-diff';
import { diffHourIndexes, type HourIndexDiff } from './index-diff';
import { missingRangesByMember } from './missing-ranges';
import { planResync, pullRequestFor, type ResyncPlan } from './resync-planner';
import { setIdentity } from './set-identity';
import { storageGroupView } from './storage-group-view';

export const ARCHIVE_SETTINGS_KEY = 'archive.settings';
const TICK_MS = 1000;
/** The newest hours a compare drills into; older differences show in the hour list. */
const MAX_DRILL_HOURS = 24;
const MAX_JOBS_SHOWN = 8;
const UNSEEN_JOB_MS = 30_000;

/** GET/POST against one host's agent; the fleet's link by default. */
export type AgentRequest = (hostId: string, method: 'GET' | 'POST', path: string, body?: unknown) => Promise<unknown>;

export interface ArchiveModuleDeps {
  findings: Pick<FindingsModule, 'publish'>;
  request?: AgentRequest;
  /** Recovery mode runs only on the leading console (several desks); defaults to always. */
  mayAutomate?: () => boolean;
}

export interface ArchiveModule extends EngineModule<ArchiveQueryName, ArchiveCommandName> {
  overview(): ArchiveOverview;
  /** Compares one set now (for tests and the preview). */
  compare(stream: string): Promise<Comparison>;
  /** One tick: rebuild, compare what moved, start automatic resyncs, publish findings. */
  tick(): Promise<void>;
}

export interface Comparison {
  diffs: HourIndexDiff[];
  hours: { hour: string; reasons: string[] }[];
  plan: ResyncPlan;
  comparedAt: number;
  error: string | null;
  signature: string;
}

interface ConsoleJob {
  jobId: string;
  hostId: string;
  stream: string;
  peer: string;
  segments: number;
  bytes: number;
  startedAt: number;
  reason: 'manual' | 'auto';
  seen: ResyncJob | null;
  journalled: boolean;
}

export function createArchiveModule(ctx: EngineContext, deps: ArchiveModuleDeps): ArchiveModule {
  const { fleet, clock } = ctx;
  const loaded = loadStoredValue(ctx.store, ARCHIVE_SETTINGS_KEY, ArchiveSettings, DEFAULT_ARCHIVE_SETTINGS);
  let settings = loaded.value;
  if (loaded.problem) {
    ctx.log('error', loaded.problem);
    ctx.journal.append({ kind: 'archive.settings-invalid', severity: 'major', message: loaded.problem });
  }
  const request: AgentRequest =
    deps.request ??
    (async (hostId, method, path, body) => {
      const link = fleet.runtime(hostId)?.link;
      if (!link) throw new Error(`host ${hostId} has no agent link`);
      return link.request(method, path, body, method === 'GET' ? 5000 : 10_000);
    });
  const archiveReports = new Map<string, ArchiveStatus>();
  const storageReports = new Map<string, StorageStatus>();
  const comparisons = new Map<string, Comparison>();
  const comparing = new Map<string, Promise<Comparison>>();
  const jobs = new Map<string, ConsoleJob>();
  /** Members that came back since the set's last automatic resync: named in the journal (recovery mode). */
  const returned = new Map<string, Set<string>>();
  let gaps: GapTrackerState = emptyGapTracker();
  let lastSent = '';
  let overview: ArchiveOverview = { replicaSets: [], storageGroups: [], settings, builtAt: clock.now() };
  const offs: (() => void)[] = [];
  let timer: { cancel(): void } | null = null;

  const nameOf = (hostId: string) => ctx.inventory.get(hostId)?.name ?? hostId;
  const isHealthy = (rt: HostRuntime | undefined) => !!rt && rt.linkState === 'connected' && (rt.health.state === 'ok' || rt.health.state === 'attention');
  const healthy = (hostId: string) => isHealthy(fleet.runtime(hostId));
  const byName = (a: string, b: string) => nameOf(a).localeCompare(nameOf(b)) || (a < b ? -1 : 1);

  function membersByStream(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [hostId, status] of archiveReports) {
      if (!fleet.runtime(hostId)) {
        archiveReports.delete(hostId);
        continue;
      }
      for (const s of status.streams) out.set(s.name, [...(out.get(s.name) ?? []), hostId].sort(byName));
    }
    return out;
  }

  const signatureOf = (stream: string, members: string[]) =>
    members.map((id) => `${id}:${healthy(id) ? 'up' : 'down'}:${archiveReports.get(id)?.streams.find((s) => s.name === stream)?.setDigest ?? '-'}`).join(' ');

  async function compare(stream: string): Promise<Comparison> {
    const running = comparing.get(stream);
    if (running) return running;
    const p = doCompare(stream).finally(() => comparing.delete(stream));
    comparing.set(stream, p);
    return p;
  }

  async function doCompare(stream: string): Promise<Comparison> {
    const members = membersByStream().get(stream) ?? [];
    const signature = signatureOf(stream, members);
    const online = members.filter(healthy);
    const comparedAt = clock.now();
    try {
      const digests = await Promise.all(
        online.map(async (id) => ({ memberId: id, hours: StreamDigests.parse(await request(id, 'GET', `/v1/archive/digests?stream=${stream}`)).hours })),
      );
      const differing = hoursThatDiffer(digests);
      const diffs: HourIndexDiff[] = [];
      const settledBeforeMs = clock.now() - settings.settleSec * 1000;
      for (const hour of differing.slice(-MAX_DRILL_HOURS)) {
        const indexes = await Promise.all(
          online.map(async (id) => ({
            memberId: id,
            segments: HourIndex.parse(await request(id, 'GET', `/v1/archive/index?stream=${stream}&hour=${hour.hour}`)).segments,
          })),
        );
        diffs.push(diffHourIndexes(hour.hour, indexes, { settledBeforeMs }));
      }
      const result: Comparison = {
        diffs,
        hours: differing.map((h) => ({ hour: h.hour, reasons: h.reasons })).reverse(),
        plan: planResync(stream, diffs, { online }),
        comparedAt,
        error: null,
        signature,
      };
      comparisons.set(stream, result);
      return result;
    } catch (err) {
      const error = (err as Error).message;
      const prev = comparisons.get(stream);
      if (prev?.error !== error) {
        ctx.log('warn', `archive compare of ${stream} failed`, { error });
        ctx.journal.append({ kind: 'archive.compare-failed', severity: 'warning', message: `could not compare the archive of ${stream}: ${error}` });
      }
      const result: Comparison = { diffs: prev?.diffs ?? [], hours: prev?.hours ?? [], plan: { pulls: [], blocked: [], bytesTotal: 0 }, comparedAt, error, signature };
      comparisons.set(stream, result);
      return result;
    }
  }

  function previewOf(stream: string, plan: ResyncPlan): ResyncPreview {
    const pulls = plan.pulls.map((p) => ({
      hostId: p.memberId,
      hostName: nameOf(p.memberId),
      sourceId: p.sourceId,
      sourceName: nameOf(p.sourceId),
      segments: p.segments.length,
      bytes: p.bytes,
      repairs: p.repairs,
    }));
    const summary =
      pulls.length === 0
        ? `${stream}: nothing to pull${plan.blocked.length ? ` (${plan.blocked.length} segments blocked: a member or every source is offline)` : ''}`
        : `${stream}: ${pulls.map((p) => `${p.hostName} pulls ${p.segments} segment${p.segments === 1 ? '' : 's'} (${formatBytes(p.bytes)}) from ${p.sourceName}`).join('; ')}`;
    return { stream, pulls, blocked: plan.blocked.length, bytesTotal: plan.bytesTotal, summary };
  }

  function streamJobsActive(stream: string): boolean {
    for (const job of jobs.values()) {
      if (job.stream !== stream) continue;
      // A job the agent never reported (restarted meanwhile) stops blocking the set after a while.
      if (job.seen === null ? clock.now() - job.startedAt < UNSEEN_JOB_MS : job.seen.state === 'running') return true;
    }
    for (const [, status] of archiveReports) if (status.jobs.some((j) => j.stream === stream && j.state === 'running')) return true;
    return false;
  }

  async function resync(stream: string, reason: 'manual' | 'auto', operator: string | null): Promise<{ started: ResyncJobView[]; preview: ResyncPreview }> {
    const comparison = await compare(stream);
    if (comparison.error) throw new ApiError('unavailable', `could not compare ${stream}: ${comparison.error}`);
    const preview = previewOf(stream, comparison.plan);
    if (comparison.plan.pulls.length === 0) return { started: [], preview };
    const who = reason === 'auto' ? 'recovery mode' : (operator ?? 'an operator');
    const back = [...(returned.get(stream) ?? [])].map(nameOf);
    ctx.journal.append({
      kind: 'archive.resync-started',
      operator,
      message: `${who} started a resync of ${stream}${reason === 'auto' && back.length ? ` after ${back.join(', ')} returned` : ''}: ${preview.summary.slice(stream.length + 2)}`,
      data: { stream, reason, pulls: preview.pulls, blocked: preview.blocked },
    });
    if (reason === 'auto') returned.delete(stream);
    const started: ResyncJobView[] = [];
    for (const pull of comparison.plan.pulls) {
      const source = ctx.inventory.get(pull.sourceId);
      if (!source) continue;
      try {
        const answer = ArchivePullAccepted.parse(await request(pull.memberId, 'POST', '/v1/archive/pull', pullRequestFor(pull, { address: source.address, token: source.token })));
        const job: ConsoleJob = { jobId: answer.jobId, hostId: pull.memberId, stream, peer: source.address, segments: pull.segments.length, bytes: pull.bytes, startedAt: clock.now(), reason, seen: null, journalled: false };
        jobs.set(`${pull.memberId}/${answer.jobId}`, job);
        started.push(jobView(job));
      } catch (err) {
        const error = (err as Error).message;
        ctx.journal.append({ kind: 'archive.resync-refused', severity: 'warning', hostId: pull.memberId, message: `${nameOf(pull.memberId)} did not take the pull of ${stream} from ${nameOf(pull.sourceId)}: ${error}` });
        if (reason === 'manual') throw new ApiError('unavailable', `${nameOf(pull.memberId)} refused the pull: ${error}`);
      }
    }
    // Kept on show (what is being repaired) but compared again on the next tick.
    const shown = comparisons.get(stream);
    if (shown) shown.signature = '';
    return { started, preview };
  }

  function jobView(job: ConsoleJob): ResyncJobView {
    const s = job.seen;
    return {
      jobId: job.jobId,
      hostId: job.hostId,
      hostName: nameOf(job.hostId),
      stream: job.stream,
      peer: job.peer,
      state: s ? s.state : 'pending',
      startedAt: s?.startedAt ?? job.startedAt,
      finishedAt: s?.finishedAt ?? null,
      segmentsTotal: s?.segmentsTotal ?? job.segments,
      segmentsDone: s ? s.segmentsFetched + s.segmentsPresent : 0,
      bytesTotal: s?.bytesTotal ?? job.bytes,
      bytesDone: s?.bytesDone ?? 0,
      throughputBytesPerSec: s?.throughputBytesPerSec ?? 0,
      etaSec: s?.etaSec ?? null,
      conflictCount: s?.conflictCount ?? 0,
      error: s?.error ?? null,
    };
  }

  function agentJobView(hostId: string, j: ResyncJob): ResyncJobView {
    return jobView({ jobId: j.id, hostId, stream: j.stream, peer: j.peer, segments: j.segmentsTotal, bytes: j.bytesTotal, startedAt: j.startedAt, reason: 'manual', seen: j, journalled: true });
  }

  function noteJobs(hostId: string, status: ArchiveStatus): void {
    for (const j of status.jobs) {
      const job = jobs.get(`${hostId}/${j.id}`);
      if (!job) continue;
      job.seen = j;
      if (j.state === 'running' || job.journalled) continue;
      job.journalled = true;
      const ok = j.state === 'done';
      ctx.journal.append({
        kind: 'archive.resync-finished',
        severity: ok ? 'info' : 'warning',
        hostId,
        message:
          `${nameOf(hostId)} ${ok ? 'finished' : `ended (${j.state})`} the resync of ${j.stream}: ${j.segmentsFetched} fetched, ${j.segmentsPresent} already present, ` +
          `${j.segmentsRepaired} repaired, ${formatBytes(j.bytesDone)} at ${formatBytes(j.throughputBytesPerSec)}/s` +
          `${j.conflictCount ? `, ${j.conflictCount} conflicts left untouched` : ''}${j.error ? ` — ${j.error}` : ''}`,
        data: { jobId: j.id, stream: j.stream, state: j.state, conflicts: j.conflicts.slice(0, 8) },
      });
    }
    // Keep the console's own jobs bounded: the finished ones the agent no longer reports are forgotten.
    for (const [key, job] of jobs) {
      if (job.hostId === hostId && job.journalled && !status.jobs.some((j) => j.id === job.jobId)) jobs.delete(key);
    }
  }

  function replicaSetView(stream: string, members: string[]): ReplicaSetView {
    const comparison = comparisons.get(stream);
    const statusOf = (id: string) => archiveReports.get(id)?.streams.find((s) => s.name === stream);
    const conflicts = comparison?.diffs.flatMap((d) => d.conflicts) ?? [];
    const heartbeatConflicts = members.reduce((n, id) => n + (statusOf(id)?.conflicts ?? 0), 0);
    const identity = setIdentity(
      members.map((id) => ({ memberId: id, digest: healthy(id) ? (statusOf(id)?.setDigest ?? null) : null })),
      { conflicts: conflicts.length + heartbeatConflicts },
    );
    const missing = comparison ? missingRangesByMember(comparison.diffs) : {};
    const jobViews = members.flatMap((id) => (archiveReports.get(id)?.jobs ?? []).filter((j) => j.stream === stream).map((j) => agentJobView(id, j)));
    for (const job of jobs.values()) if (job.stream === stream && job.seen === null) jobViews.push(jobView(job));
    return {
      stream,
      identity: { state: identity.state, fingerprint: identity.fingerprint, variants: identity.variants },
      members: members.map((id, i) => {
        const s = statusOf(id);
        const disk = archiveReports.get(id)?.disk ?? null;
        return {
          hostId: id,
          hostName: nameOf(id),
          healthy: healthy(id),
          recording: s?.recording ?? false,
          recorderState: s?.recorderState ?? 'off',
          segments: s?.segments ?? 0,
          bytes: s?.bytes ?? 0,
          newestSegmentStartMs: s?.newestSegmentStartMs ?? null,
          fingerprint: identity.members[i]!.fingerprint,
          agreesWithMajority: identity.members[i]!.agreesWithMajority,
          rotSegments: s?.rotSegments ?? 0,
          conflicts: s?.conflicts ?? 0,
          diskUsedPct: disk?.usedPct ?? null,
          missing: missing[id] ?? [],
        };
      }),
      hoursThatDiffer: comparison?.hours ?? [],
      conflicts: conflicts.map((c) => ({ name: c.name, startMs: c.startMs, variants: c.variants.map((v) => ({ sha256: v.sha256, sizeBytes: v.sizeBytes, hostIds: v.memberIds })) })),
      unrepairable: comparison?.diffs.reduce((n, d) => n + d.unrepairable.length, 0) ?? 0,
      jobs: jobViews.sort((a, b) => b.startedAt - a.startedAt).slice(0, MAX_JOBS_SHOWN),
      comparedAt: comparison?.comparedAt ?? null,
      compareError: comparison?.error ?? null,
    };
  }

  function storageGroups(): StorageGroupView[] {
    const byGroup = new Map<string, string[]>();
    for (const [hostId, status] of storageReports) {
      if (!fleet.runtime(hostId)) {
        storageReports.delete(hostId);
        continue;
      }
      byGroup.set(status.group, [...(byGroup.get(status.group) ?? []), hostId].sort(byName));
    }
    return [...byGroup.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([group, members]) => {
      const view = storageGroupView(
        members.map((id) => ({ memberId: id, healthy: healthy(id), rootDigest: storageReports.get(id)!.rootDigest, diskUsedPct: storageReports.get(id)!.disk?.usedPct ?? null })),
        { diskLimitPct: settings.diskLimitPct },
      );
      return {
        group,
        identity: { state: view.identity.state, fingerprint: view.identity.fingerprint, variants: view.identity.variants },
        active: view.active,
        members: members.map((id, i) => {
          const s = storageReports.get(id)!;
          return {
            hostId: id,
            hostName: nameOf(id),
            healthy: healthy(id),
            active: view.active.includes(id),
            fingerprint: view.identity.members[i]!.fingerprint,
            files: s.files,
            bytes: s.bytes,
            diskUsedPct: s.disk?.usedPct ?? null,
            error: s.error,
          };
        }),
      };
    });
  }

  function rebuild(): ArchiveOverview {
    const sets = [...membersByStream().entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    overview = { replicaSets: sets.map(([stream, members]) => replicaSetView(stream, members)), storageGroups: storageGroups(), settings, builtAt: clock.now() };
    const text = JSON.stringify({ ...overview, builtAt: 0 });
    if (text !== lastSent) {
      lastSent = text;
      ctx.emit({ type: 'archive.changed', payload: overview });
    }
    return overview;
  }

  function findings(): Finding[] {
    const out: Finding[] = [];
    const base = { hostDown: false, fix: null as string | null, related: [] as string[] };
    for (const set of overview.replicaSets) {
      const up = set.members.filter((m) => m.healthy);
      if (up.length < 2) {
        out.push({
          ...base,
          key: `archive:set:${set.stream}:members`,
          kind: 'archive.too-few-members',
          severity: up.length === 0 ? 'critical' : 'major',
          hostId: null,
          summary: `archive of ${set.stream} has ${up.length} healthy member${up.length === 1 ? '' : 's'} of ${set.members.length} (2 needed)`,
          fix: 'Bring the missing archive host back or add a replica; recovery mode pulls what it missed.',
          related: set.members.map((m) => m.hostId),
        });
      }
      if (set.conflicts.length > 0 || set.members.some((m) => m.conflicts > 0)) {
        out.push({
          ...base,
          key: `archive:set:${set.stream}:conflict`,
          kind: 'archive.conflict',
          severity: 'major',
          hostId: null,
          summary: `archive of ${set.stream}: members hold different bytes for ${Math.max(set.conflicts.length, ...set.members.map((m) => m.conflicts))} segment(s); nothing was overwritten`,
          fix: 'Compare the variants and remove the wrong copy by hand; a resync then copies the right one.',
          related: set.members.map((m) => m.hostId),
        });
      }
    }
    for (const group of overview.storageGroups) {
      const up = group.members.filter((m) => m.healthy).length;
      if (up < 2) {
        out.push({
          ...base,
          key: `storage:group:${group.group}:members`,
          kind: 'storage.too-few-members',
          severity: up === 0 ? 'critical' : 'major',
          hostId: null,
          summary: `storage group ${group.group} has ${up} healthy member${up === 1 ? '' : 's'} of ${group.members.length} (2 needed)`,
          fix: 'Bring a member back; clients are handed only the active ones.',
          related: group.members.map((m) => m.hostId),
        });
      }
    }
    const disks = new Map<string, number>();
    for (const [id, s] of archiveReports) if (s.disk) disks.set(id, s.disk.usedPct);
    for (const [id, s] of storageReports) if (s.disk) disks.set(id, Math.max(disks.get(id) ?? 0, s.disk.usedPct));
    for (const [id, pct] of [...disks].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (pct <= settings.diskLimitPct) continue;
      out.push({ ...base, key: `archive:disk:${id}`, kind: 'archive.disk-full', severity: 'major', hostId: id, summary: `${nameOf(id)}: disk ${pct.toFixed(0)} % full (limit ${settings.diskLimitPct} %)`, fix: 'Free space or move the archive; a full disk stops recording.' });
    }
    const open = [...comparisons.entries()].flatMap(([stream, c]) =>
      c.diffs.flatMap((d) => [...Object.entries(d.missing), ...Object.entries(d.rot)].flatMap(([memberId, segs]) => segs.map((s) => ({ memberId, stream, segment: s.name })))),
    );
    const tracked = trackGaps(gaps, open, clock.now(), settings.gapMaxAgeSec * 1000);
    gaps = tracked.state;
    for (const g of tracked.overdue) {
      out.push({
        ...base,
        key: `archive:gap:${g.memberId}:${g.stream}`,
        kind: 'archive.gap-unrepaired',
        severity: 'major',
        hostId: g.memberId,
        summary: `${nameOf(g.memberId)} has lacked ${g.segments} segment(s) of ${g.stream} for over ${Math.round(settings.gapMaxAgeSec / 60)} min`,
        fix: settings.autoResync ? 'Recovery mode could not repair it: check the jobs and the peers.' : 'Start a resync from the Archives tab (recovery mode is off).',
      });
    }
    return out;
  }

  /** Compares one set in the background and, in recovery mode, starts the pulls it calls for. */
  async function compareAndRepair(stream: string): Promise<void> {
    const fresh = await compare(stream);
    rebuild(); // the UIs see what is missing before it is repaired
    if (settings.autoResync && (deps.mayAutomate?.() ?? true) && !fresh.error && fresh.plan.pulls.length > 0 && !streamJobsActive(stream)) {
      await resync(stream, 'auto', null).catch((err: Error) => ctx.log('warn', `automatic resync of ${stream} failed`, { error: err.message }));
    }
    rebuild();
  }

  /** Never waits on an agent: a silent member must not hold up the findings of everyone else. */
  async function tick(): Promise<void> {
    const byStream = membersByStream();
    for (const [stream, members] of byStream) {
      if (members.length < 2) {
        comparisons.delete(stream);
        continue;
      }
      if (comparing.has(stream) || streamJobsActive(stream)) continue;
      const c = comparisons.get(stream);
      // Segments still settling were left out of the last compare: a set that still differs is compared again later.
      const agree = new Set(members.map((id) => archiveReports.get(id)?.streams.find((s) => s.name === stream)?.setDigest)).size === 1;
      const stale = !!c && !agree && clock.now() - c.comparedAt > settings.settleSec * 1000 + TICK_MS;
      if (c && c.signature === signatureOf(stream, members) && !c.error && !stale) continue;
      void compareAndRepair(stream).catch((err: Error) => ctx.log('error', `archive compare of ${stream} failed`, { error: err.message }));
    }
    for (const stream of comparisons.keys()) if (!byStream.has(stream)) comparisons.delete(stream);
    for (const [key, job] of jobs) {
      if (job.seen === null && clock.now() - job.startedAt >= UNSEEN_JOB_MS) {
        jobs.delete(key);
        ctx.journal.append({ kind: 'archive.resync-lost', severity: 'warning', hostId: job.hostId, message: `${nameOf(job.hostId)} never reported its pull of ${job.stream} (job ${job.jobId}); the set is compared again` });
      }
    }
    rebuild();
    deps.findings.publish('archive', findings());
  }

  function updateSettings(patch: Partial<ArchiveSettings>, call: CallContext): ArchiveSettings {
    const next = ArchiveSettings.safeParse({ ...settings, ...patch });
    if (!next.success) throw new ApiError('bad-input', describeInputError(next.error));
    ctx.store.set(ARCHIVE_SETTINGS_KEY, next.data);
    settings = next.data;
    const what = Object.entries(patch).map(([k, v]) => (k === 'autoResync' ? `recovery mode ${v ? 'on' : 'off'}` : `${k} = ${String(v)}`));
    ctx.journal.append({ kind: 'archive.settings-updated', operator: call.operator, message: `${call.operator ?? 'an operator'} changed the archive settings: ${what.join(', ')}`, data: { settings } });
    rebuild();
    return settings;
  }

  return {
    overview: () => overview,
    compare,
    tick,
    queries: {
      'archive.overview': async () => rebuild(),
      'archive.resync.preview': async ({ stream }) => {
        if (!membersByStream().has(stream)) throw new ApiError('not-found', `no archive host reports ${stream}`);
        const c = await compare(stream);
        if (c.error) throw new ApiError('unavailable', `could not compare ${stream}: ${c.error}`);
        return previewOf(stream, c.plan);
      },
    },
    commands: {
      'archive.resync': async ({ stream }, call) => {
        if (!membersByStream().has(stream)) throw new ApiError('not-found', `no archive host reports ${stream}`);
        const result = await resync(stream, 'manual', call.operator);
        if (result.started.length === 0) ctx.journal.append({ kind: 'archive.resync-nothing', operator: call.operator, message: `${call.operator ?? 'an operator'} asked for a resync of ${stream}: ${result.preview.summary}` });
        rebuild();
        return result;
      },
      'archive.settings.update': async (patch, call) => updateSettings(patch, call),
    },
    start() {
      offs.push(
        fleet.onMessage((rt, message) => {
          if (message.type !== 'heartbeat') return;
          if (message.status.archive) {
            archiveReports.set(rt.host.id, message.status.archive);
            noteJobs(rt.host.id, message.status.archive);
          }
          if (message.status.storage) storageReports.set(rt.host.id, message.status.storage);
        }),
        fleet.onHealthChange((rt, from, to) => {
          if (!archiveReports.has(rt.host.id) || from !== 'down' || (to !== 'ok' && to !== 'attention')) return;
          const streams = archiveReports.get(rt.host.id)!.streams.map((s) => s.name);
          for (const stream of streams) returned.set(stream, new Set([...(returned.get(stream) ?? []), rt.host.id]));
          ctx.journal.append({
            kind: 'archive.member-returned',
            hostId: rt.host.id,
            message: `${rt.host.name} returned to the archive of ${streams.join(', ')}${settings.autoResync ? ': recovery mode will pull what it missed' : ' (recovery mode is off: resync by hand)'}`,
          });
        }),
      );
      timer = clock.setInterval(() => void tick().catch((err: Error) => ctx.log('error', 'archive tick failed', { error: err.message })), TICK_MS);
    },
    stop() {
      timer?.cancel();
      for (const off of offs.splice(0)) off();
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
