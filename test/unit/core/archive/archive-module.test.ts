import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { hourDigestOf, setDigestOf } from '../../../../agents/roles/archive/hour-digest';
import { type ArchivePullRequest, type ArchiveStatus, hourKeyOfSegmentName, type ResyncJob, type SegmentEntry, segmentNameForStartMs, type StorageStatus } from '../../../../agents/protocol';
import { type AgentRequest, ARCHIVE_SETTINGS_KEY, createArchiveModule } from '../../../../main/core/archive/archive-module';
import { createFindingsModule } from '../../../../main/core/findings/findings-module';
import { moduleHarness, operator } from '../module-harness';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const STREAM = 'lab-1';

/** In-memory archive agents: each host's segments of one stream, served through the routes the module calls. */
function fakeAgents(addressOf: (hostId: string) => string) {
  const trees = new Map<string, Map<string, SegmentEntry>>();
  const jobs = new Map<string, ResyncJob[]>();
  const pulls: { hostId: string; body: ArchivePullRequest }[] = [];
  let nextJob = 0;
  const tree = (id: string) => trees.get(id) ?? trees.set(id, new Map()).get(id)!;
  const hoursOf = (id: string) => {
    const byHour = new Map<string, SegmentEntry[]>();
    for (const e of tree(id).values()) byHour.set(hourKeyOfSegmentName(e.name), [...(byHour.get(hourKeyOfSegmentName(e.name)) ?? []), e]);
    return [...byHour.entries()].sort().map(([hour, es]) => ({
      hour,
      segments: es.length,
      bytes: es.reduce((n, e) => n + e.sizeBytes, 0),
      digest: hourDigestOf([...es].sort((a, b) => (a.name < b.name ? -1 : 1))),
      rotSegments: es.filter((e) => e.rot).length,
    }));
  };
  const request: AgentRequest = async (hostId, method, path, body) => {
    const url = new URL(`http://x${path}`);
    if (method === 'GET' && url.pathname === '/v1/archive/digests') {
      const hours = hoursOf(hostId);
      return { stream: STREAM, digestVersion: 1, setDigest: setDigestOf(hours), hours };
    }
    if (method === 'GET' && url.pathname === '/v1/archive/index') {
      const hour = url.searchParams.get('hour')!;
      return { stream: STREAM, hour, segments: [...tree(hostId).values()].filter((e) => hourKeyOfSegmentName(e.name) === hour).sort((a, b) => a.startMs - b.startMs) };
    }
    if (method === 'POST' && url.pathname === '/v1/archive/pull') {
      const req = body as ArchivePullRequest;
      pulls.push({ hostId, body: req });
      const sourceId = [...trees.keys()].find((id) => addressOf(id) === req.peer.address)!;
      let bytes = 0;
      for (const name of req.segments) {
        const e = tree(sourceId).get(name)!;
        tree(hostId).set(name, { ...e });
        bytes += e.sizeBytes;
      }
      const id = `job-${++nextJob}`;
      const job: ResyncJob = {
        id, stream: STREAM, peer: req.peer.address, state: 'done', startedAt: 1, finishedAt: 2, segmentsTotal: req.segments.length, segmentsFetched: req.segments.length,
        segmentsPresent: 0, segmentsRepaired: 0, bytesTotal: bytes, bytesDone: bytes, throughputBytesPerSec: bytes, etaSec: 0, conflicts: [], conflictCount: 0, refused: [], refusedCount: 0, error: null,
      };
      jobs.set(hostId, [...(jobs.get(hostId) ?? []), job]);
      return { jobId: id };
    }
    throw new Error(`unexpected ${method} ${path}`);
  };
  const status = (id: string, diskPct = 40): ArchiveStatus => {
    const hours = hoursOf(id);
    const es = [...tree(id).values()];
    return {
      root: '/dvr', indexing: false, disk: { sizeBytes: 100, usedBytes: diskPct, usedPct: diskPct }, servedBytes: 0, jobs: jobs.get(id) ?? [],
      streams: [{
        name: STREAM, recording: true, recorderState: 'running', recorderRestarts: 0, recorderError: null, segments: es.length, bytes: es.reduce((n, e) => n + e.sizeBytes, 0),
        oldestSegmentStartMs: null, newestSegmentStartMs: null, digestVersion: hours.length, setDigest: setDigestOf(hours), hours: hours.length, rotSegments: 0, conflicts: 0,
      }],
    };
  };
  return { tree, request, status, pulls };
}

function plant(stored: Record<string, unknown> = {}) {
  const h = moduleHarness(stored);
  cleanups.push(h.cleanup);
  const findings = createFindingsModule(h.ctx);
  const a = h.addHost({ name: 'archive-a', ip: '127.0.0.6', kind: 'archive' }, ['system', 'archive']);
  const b = h.addHost({ name: 'archive-b', ip: '127.0.0.7', kind: 'archive' }, ['system', 'archive']);
  const agents = fakeAgents((id) => h.inventory.require(id).address);
  const archive = createArchiveModule(h.ctx, { findings, request: agents.request });
  const silent = new Set<string>();
  const disk = new Map<string, number>();
  const storage = new Map<string, StorageStatus>();
  const heartbeats = (now: number) => {
    if (now % 500 !== 0) return;
    for (const id of [a, b]) if (!silent.has(id)) h.beat(id, { archive: agents.status(id, disk.get(id)), ...(storage.has(id) ? { storage: storage.get(id)! } : {}) });
  };
  archive.start?.();
  const start = h.clock.now() - 120_000;
  /** Segment i (2 s each) recorded on the given hosts; `tag` stands in for its bytes. */
  const record = (i: number, hosts: string[], tag = 'a') => {
    const startMs = start + i * 2000;
    for (const id of hosts) agents.tree(id).set(segmentNameForStartMs(startMs), { name: segmentNameForStartMs(startMs), startMs, durationMs: 2000, sizeBytes: 1000, sha256: tag.repeat(64) });
  };
  const run = (ms: number) => h.advance(ms, heartbeats);
  return { h, a, b, agents, archive, findings, silent, disk, storage, record, run, overview: () => archive.queries['archive.overview']({}, operator) };
}

describe('archive module', () => {
  it('groups members by stream and shows one identity when their trees agree', async () => {
    const p = plant();
    for (let i = 0; i < 5; i++) p.record(i, [p.a, p.b]);
    await p.run(2000);
    const [set] = (await p.overview()).replicaSets;
    assert.equal(set?.stream, STREAM);
    assert.deepEqual(set?.members.map((m) => m.hostName), ['archive-a', 'archive-b']);
    assert.equal(set?.identity.state, 'identical');
    assert.equal(p.agents.pulls.length, 0, 'nothing pulled when nothing differs');
  });

  it('finds the range a member missed and pulls only that, by itself (recovery mode)', async () => {
    const p = plant();
    for (let i = 0; i < 10; i++) p.record(i, i >= 3 && i < 6 ? [p.a] : [p.a, p.b]);
    await p.run(3000);
    assert.equal(p.agents.pulls.length, 1);
    assert.equal(p.agents.pulls[0]!.hostId, p.b);
    assert.equal(p.agents.pulls[0]!.body.segments.length, 3);
    assert.deepEqual([...p.agents.tree(p.b).keys()].sort(), [...p.agents.tree(p.a).keys()].sort());
    const started = p.h.journal.recent(100).find((e) => e.kind === 'archive.resync-started');
    assert.match(started!.message, /recovery mode started a resync of lab-1: archive-b pulls 3 segments \(2\.9 KiB\) from archive-a/);
    assert.ok(p.h.journal.recent(100).some((e) => e.kind === 'archive.resync-finished'));
    await p.run(2000);
    assert.equal((await p.overview()).replicaSets[0]!.identity.state, 'identical');
  });

  it('with recovery mode off, shows the missing range and waits for the operator', async () => {
    const p = plant({ [ARCHIVE_SETTINGS_KEY]: { autoResync: false, gapMaxAgeSec: 60, diskLimitPct: 90, settleSec: 6 } });
    for (let i = 0; i < 10; i++) p.record(i, i >= 3 && i < 6 ? [p.a] : [p.a, p.b]);
    await p.run(3000);
    assert.equal(p.agents.pulls.length, 0);
    const set = (await p.overview()).replicaSets[0]!;
    assert.equal(set.identity.state, 'diverged');
    assert.equal(set.hoursThatDiffer.length, 1);
    const missing = set.members.find((m) => m.hostName === 'archive-b')!.missing;
    assert.equal(missing.length, 1);
    assert.equal(missing[0]!.segments, 3);
    assert.equal(missing[0]!.toMs - missing[0]!.fromMs, 6000);

    const preview = await p.archive.queries['archive.resync.preview']({ stream: STREAM }, operator);
    assert.equal(preview.summary, 'lab-1: archive-b pulls 3 segments (2.9 KiB) from archive-a');
    const result = await p.archive.commands['archive.resync']({ stream: STREAM }, operator);
    assert.equal(result.started.length, 1);
    assert.equal(p.agents.pulls.length, 1);
    assert.ok(p.h.journal.recent(100).some((e) => e.kind === 'archive.resync-started' && e.operator === 'ana'));
  });

  it('raises a finding for a gap left unrepaired longer than the set time', async () => {
    const p = plant({ [ARCHIVE_SETTINGS_KEY]: { autoResync: false, gapMaxAgeSec: 10, diskLimitPct: 90, settleSec: 6 } });
    for (let i = 0; i < 10; i++) p.record(i, i === 4 ? [p.a] : [p.a, p.b]);
    await p.run(5000);
    assert.ok(!p.findings.list().some((f) => f.kind === 'archive.gap-unrepaired'));
    await p.run(7000);
    const gap = p.findings.list().find((f) => f.kind === 'archive.gap-unrepaired');
    assert.equal(gap?.hostId, p.b);
    assert.equal(gap?.source, 'archive');
  });

  it('raises findings for a set with fewer than 2 healthy members and a disk above 90 %', async () => {
    const p = plant();
    for (let i = 0; i < 3; i++) p.record(i, [p.a, p.b]);
    p.disk.set(p.a, 95);
    await p.run(2000);
    assert.ok(p.findings.list().some((f) => f.key === `archive:disk:${p.a}`));
    p.silent.add(p.b);
    await p.run(5000);
    const thin = p.findings.list().find((f) => f.kind === 'archive.too-few-members');
    assert.match(thin!.summary, /1 healthy member of 2/);
  });

  it('reports a conflict and pulls nothing for it', async () => {
    const p = plant();
    for (let i = 0; i < 5; i++) p.record(i, [p.a, p.b]);
    p.record(2, [p.b], 'b');
    await p.run(3000);
    assert.equal(p.agents.pulls.length, 0);
    const set = (await p.overview()).replicaSets[0]!;
    assert.equal(set.identity.state, 'conflict');
    assert.equal(set.conflicts.length, 1);
    assert.ok(p.findings.list().some((f) => f.kind === 'archive.conflict'));
  });

  it('shows a storage group with the members a client would be handed', async () => {
    const p = plant();
    const digest = (c: string) => c.repeat(64);
    const member = (d: string): StorageStatus => ({ group: 'media', contentRoot: '/c', rootDigest: d, files: 3, bytes: 100, digestedAt: 1, digestMs: 1, disk: null, error: null });
    p.storage.set(p.a, member(digest('1')));
    p.storage.set(p.b, member(digest('1')));
    await p.run(1500);
    const [group] = (await p.overview()).storageGroups;
    assert.equal(group?.identity.state, 'identical');
    assert.deepEqual(group?.active.length, 2);
    p.silent.add(p.b);
    await p.run(5000);
    const after = (await p.overview()).storageGroups[0]!;
    assert.deepEqual(after.active, [p.a]);
    assert.ok(p.findings.list().some((f) => f.kind === 'storage.too-few-members'));
  });

  it('journals a settings change; a bad value is refused', async () => {
    const p = plant();
    const next = await p.archive.commands['archive.settings.update']({ autoResync: false }, operator);
    assert.equal(next.autoResync, false);
    assert.ok(p.h.journal.recent(20).some((e) => e.kind === 'archive.settings-updated' && /recovery mode off/.test(e.message)));
    await assert.rejects(p.archive.commands['archive.settings.update']({ diskLimitPct: 10 }, operator));
  });
});
