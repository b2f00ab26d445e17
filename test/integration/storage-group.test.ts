/**
 * A storage group of two real agents: both report the same content-root digest in their heartbeats while they hold
 * the same files; a changed file on one is seen at once in its digest, the console's group view marks it out of
 * step, and the tree route leads to the folder that differs. Paths that leave the content root are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { seedStorageContent } from '../../agents/lab/archive-lab';
import { type Lab, startLab } from '../../agents/lab/lab';
import { StorageTree } from '../../agents/protocol/storage';
import { storageGroupView } from '../../main/core/archive/storage-group-view';
import { type AgentStream, callAgent, openAgentStream } from './helpers/agent-client';

let dir: string;
let lab: Lab | undefined;
const streams: AgentStream[] = [];
const roots: string[] = [];

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tally-storage-it-'));
  const specs = ['store-1', 'store-2'].map((name, i) => {
    const contentRoot = path.join(dir, `${name}-content`);
    seedStorageContent(contentRoot);
    roots.push(contentRoot);
    return { name, ip: `127.0.67.${i + 1}`, roles: ['storage' as const], extra: { storage: { group: 'media', contentRoot, digestIntervalMs: 500 } } };
  });
  lab = await startLab(specs, { dir, nodeArgs: ['--import', 'tsx'], agentEntry: 'agents/main.ts' });
  for (const agent of lab.agents) streams.push(await openAgentStream(agent));
});

after(async () => {
  for (const s of streams) s.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const latestDigest = (s: AgentStream) => s.heartbeats[s.heartbeats.length - 1]?.status.storage?.rootDigest ?? null;

test('two members with the same files report the same digest and disk usage; the group hands out both', async () => {
  const [h1, h2] = await Promise.all(streams.map((s) => s.waitForHeartbeat((hb) => !!hb.status.storage?.rootDigest, 10_000, 'a storage heartbeat')));
  const s1 = h1!.status.storage!;
  const s2 = h2!.status.storage!;
  assert.equal(s1.rootDigest, s2.rootDigest);
  assert.deepEqual([s1.group, s1.files], ['media', 3]);
  assert.ok(s1.disk && s1.disk.sizeBytes > 0 && s1.disk.usedPct >= 0);
  const view = storageGroupView(
    [s1, s2].map((s, i) => ({ memberId: `store-${i + 1}`, healthy: true, rootDigest: s.rootDigest, diskUsedPct: s.disk?.usedPct ?? null })),
  );
  assert.deepEqual([view.active, view.identity.state], [['store-1', 'store-2'], 'identical']);
});

test('a changed file on one member shows in its digest; the tree route leads to the folder that differs', async () => {
  const before = latestDigest(streams[0]!);
  writeFileSync(path.join(roots[1]!, 'schedules', '2025-01-01.json'), '{"items":[1]}\n');
  await streams[1]!.waitForHeartbeat((hb) => !!hb.status.storage?.rootDigest && hb.status.storage.rootDigest !== before, 10_000, 'the new digest');
  const top = await Promise.all(lab!.agents.map(async (agent) => StorageTree.parse((await callAgent(agent, 'GET', '/v1/storage/tree?path=')).body)));
  const differing = top[0]!.entries.filter((e, i) => e.digest !== top[1]!.entries[i]!.digest).map((e) => e.name);
  assert.deepEqual(differing, ['schedules']);
  const view = storageGroupView([
    { memberId: 'store-1', healthy: true, rootDigest: latestDigest(streams[0]!), diskUsedPct: 10 },
    { memberId: 'store-2', healthy: true, rootDigest: latestDigest(streams[1]!), diskUsedPct: 10 },
    { memberId: 'store-3', healthy: false, rootDigest: null, diskUsedPct: null },
  ]);
  assert.equal(view.identity.state, 'diverged');
  assert.deepEqual(view.offline, ['store-3']);
});

test('tree paths that would leave the content root are refused', async () => {
  const agent = lab!.agents[0]!;
  for (const p of ['..', '../..', '/etc', 'logos/../..', 'a//b', '%00']) {
    const { status } = await callAgent(agent, 'GET', `/v1/storage/tree?path=${encodeURIComponent(p === '%00' ? '\0' : p)}`);
    assert.equal(status, 400, p);
  }
});
