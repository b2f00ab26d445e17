import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CorruptBlobError, CorruptHistoryError, SnapshotNotFoundError, SnapshotStore } from '../../../../main/core/snapshots/snapshot-store';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const config = (name: string, bitrateKbps = 200) =>
  Buffer.from(`${JSON.stringify({ name, input: { url: 'lavfi:testsrc2' }, outputs: [{ type: 'hls' }], video: { bitrateKbps } }, null, 2)}\n`);

describe('snapshot store', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-snapshots-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores the exact bytes under their sha256 and a history entry beside them', async () => {
    const { store, problems } = await SnapshotStore.open(dataDir);
    assert.deepEqual(problems, []);
    const bytes = config('news');
    const result = await store.record({ hostId: 'h-1', channel: 'news', bytes, source: 'console', operator: 'anna', at: 1000 });
    const hash = sha256(bytes);
    assert.equal(result.added, true);
    assert.deepEqual(result.entry, { at: 1000, hash, source: 'console', operator: 'anna', bytes: bytes.length, valid: true, problem: null, note: null });
    assert.deepEqual(readFileSync(path.join(dataDir, 'snapshots', 'blobs', hash.slice(0, 2), hash)), bytes);
    assert.deepEqual(await store.get(hash), bytes);
    assert.equal(store.latest('h-1', 'news')?.hash, hash);
  });

  it('adds nothing when the newest version is reported again', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news'), source: 'host', at: 1 });
    const again = await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news'), source: 'host', at: 2 });
    assert.equal(again.added, false);
    assert.equal(again.entry.at, 1);
    assert.equal((await store.history('h-1', 'news')).entries.length, 1);
  });

  it('keeps the history in order with its sources; host changes carry no operator', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 200), source: 'console', operator: 'anna', at: 1 });
    await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 300), source: 'host', operator: 'ignored', at: 2 });
    await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 200), source: 'console', operator: 'boris', at: 3, note: 'restored' });
    const { entries } = await store.history('h-1', 'news');
    assert.deepEqual(entries.map((e) => [e.at, e.source, e.operator, e.note]), [
      [1, 'console', 'anna', null],
      [2, 'host', null, null],
      [3, 'console', 'boris', 'restored'],
    ]);
    assert.equal(entries[0]!.hash, entries[2]!.hash, 'the same bytes are one blob');
  });

  it('records a corrupt version as invalid, and latestValid still points at the last good one', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    const good = config('news');
    await store.record({ hostId: 'h-1', channel: 'news', bytes: good, source: 'console', at: 1 });
    const bad = Buffer.from('{"name": "news", ');
    const result = await store.record({ hostId: 'h-1', channel: 'news', bytes: bad, source: 'host', at: 2 });
    assert.equal(result.entry.valid, false);
    assert.match(result.entry.problem ?? '', /not JSON/);
    assert.equal(store.latest('h-1', 'news')?.hash, sha256(bad));
    assert.equal(store.latestValid('h-1', 'news')?.hash, sha256(good));
    assert.deepEqual(await store.get(sha256(good)), good, 'the previous snapshot is intact');
  });

  it('finds everything again after a restart', async () => {
    const first = await SnapshotStore.open(dataDir);
    await first.store.record({ hostId: 'h-1', channel: 'news', bytes: config('news'), source: 'host', at: 1 });
    await first.store.record({ hostId: 'h-2', channel: 'sport', bytes: config('sport'), source: 'console', at: 2 });
    const { store, problems } = await SnapshotStore.open(dataDir);
    assert.deepEqual(problems, []);
    assert.equal(store.latest('h-1', 'news')?.hash, sha256(config('news')));
    assert.deepEqual(store.channels('h-2'), ['sport']);
    assert.equal(store.has(sha256(config('sport'))), true);
  });

  it('reports a corrupt history, refuses to add to it, and never replaces it', async () => {
    const first = await SnapshotStore.open(dataDir);
    await first.store.record({ hostId: 'h-1', channel: 'news', bytes: config('news'), source: 'host', at: 1 });
    const file = path.join(dataDir, 'snapshots', 'history', 'h-1', 'news.json');
    writeFileSync(file, '{"format": 1, "entries": [');
    const { store, problems } = await SnapshotStore.open(dataDir);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.kind, 'corrupt-history');
    assert.equal(problems[0]!.channel, 'news');
    assert.match(problems[0]!.message, /unreadable: not JSON/);
    await assert.rejects(store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 999), source: 'host', at: 2 }), CorruptHistoryError);
    await assert.rejects(store.history('h-1', 'news'), CorruptHistoryError);
    assert.equal(readFileSync(file, 'utf8'), '{"format": 1, "entries": [', 'the damaged file is left as it is');
    assert.deepEqual(store.planSync('h-1', [{ name: 'news', hash: 'a'.repeat(64) }]).blocked, [{ channel: 'news', hash: 'a'.repeat(64) }]);

    const aside = await store.quarantineHistory('h-1', 'news', 5);
    assert.equal(readFileSync(aside, 'utf8'), '{"format": 1, "entries": [', 'quarantine keeps the damaged file');
    assert.equal((await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 999), source: 'host', at: 6 })).added, true);
    assert.deepEqual(store.problems(), []);
  });

  it('notices a history that went bad after opening, before writing over it', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news'), source: 'host', at: 1 });
    const file = path.join(dataDir, 'snapshots', 'history', 'h-1', 'news.json');
    writeFileSync(file, JSON.stringify({ format: 1, hostId: 'h-9', channel: 'news', prunedEntries: 0, entries: [] }));
    await assert.rejects(store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 5), source: 'host', at: 2 }), /holds the history of h-9\/news/);
    assert.equal(store.problems().length, 1);
  });

  it('detects a corrupt blob on read and repairs it from good bytes, keeping the damaged file', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    const bytes = config('news');
    const hash = sha256(bytes);
    await store.record({ hostId: 'h-1', channel: 'news', bytes, source: 'host', at: 1 });
    const blob = path.join(dataDir, 'snapshots', 'blobs', hash.slice(0, 2), hash);
    writeFileSync(blob, 'bit rot');
    await assert.rejects(store.get(hash), CorruptBlobError);
    assert.equal(store.problems()[0]?.kind, 'corrupt-blob');
    const again = await store.record({ hostId: 'h-2', channel: 'news', bytes, source: 'host', at: 2 });
    assert.ok(again.repairedBlob);
    assert.deepEqual(await store.get(hash), bytes);
    assert.equal(readdirSync(path.dirname(blob)).filter((f) => f.includes('.corrupt-')).length, 1);
  });

  it('says when a version is not stored', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    await assert.rejects(store.get('0'.repeat(64)), SnapshotNotFoundError);
    await assert.rejects(store.get('../../etc/passwd'), /not a sha256/);
  });

  it('plans fetches from what an agent reports', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 1), source: 'console', at: 1 });
    await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 2), source: 'host', at: 2 });
    const plan = store.planSync('h-1', [
      { name: 'news', hash: sha256(config('news', 1)) },
      { name: 'sport', hash: sha256(config('sport')) },
    ]);
    assert.deepEqual(plan, {
      fetch: [{ channel: 'sport', hash: sha256(config('sport')) }],
      record: [{ channel: 'news', hash: sha256(config('news', 1)) }],
      blocked: [],
    });
    const recorded = await store.recordKnown({ hostId: 'h-1', channel: 'news', hash: sha256(config('news', 1)), source: 'host', at: 3 });
    assert.equal(recorded.added, true);
    assert.deepEqual(store.planSync('h-1', [{ name: 'news', hash: sha256(config('news', 1)) }]).record, []);
  });

  it('diffs two stored versions side by side', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    const a = await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 200), source: 'host', at: 1 });
    const b = await store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 300), source: 'host', at: 2 });
    const diff = await store.diff(a.entry.hash, b.entry.hash);
    const changed = diff.rows.filter((r) => r.kind === 'changed');
    assert.deepEqual(changed.map((r) => [r.left?.text.trim(), r.right?.text.trim()]), [['"bitrateKbps": 200', '"bitrateKbps": 300']]);
  });

  it('keeps host ids and channel names that are not plain inside its folder', async () => {
    const { store } = await SnapshotStore.open(dataDir);
    await store.record({ hostId: '../../escape', channel: '../x', bytes: config('x'), source: 'host', at: 1 });
    assert.deepEqual(readdirSync(dataDir), ['snapshots']);
    const hosts = readdirSync(path.join(dataDir, 'snapshots', 'history'));
    assert.equal(hosts.length, 1);
    assert.match(hosts[0]!, /^~[0-9a-f]+$/);
    const reopened = await SnapshotStore.open(dataDir);
    assert.deepEqual(reopened.store.channels('../../escape'), ['../x']);
  });

  it('serialises concurrent records of one channel, and bounds the history', async () => {
    const { store } = await SnapshotStore.open(dataDir, { maxEntriesPerChannel: 5 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.record({ hostId: 'h-1', channel: 'news', bytes: config('news', 100 + i), source: 'host', at: i })));
    const history = await store.history('h-1', 'news');
    assert.deepEqual(history.entries.map((e) => e.at), [3, 4, 5, 6, 7]);
    assert.equal(history.prunedEntries, 3);
    assert.equal(store.has(sha256(config('news', 100))), true, 'pruning keeps the blobs');
    const historyDir = path.join(dataDir, 'snapshots', 'history', 'h-1');
    assert.deepEqual(readdirSync(historyDir), ['news.json'], 'no temp files left');
    assert.ok(existsSync(path.join(historyDir, 'news.json')));
  });
});
