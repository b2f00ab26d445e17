import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ChannelStatus, TranscoderStatus } from '../../../../agents/protocol';
import { SnapshotStore } from '../../../../main/core/snapshots/snapshot-store';
import { SnapshotSync } from '../../../../main/core/snapshots/snapshot-sync';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const config = (name: string, kbps: number) =>
  Buffer.from(`${JSON.stringify({ name, input: { url: 'lavfi:testsrc2=size=320x180:rate=10' }, outputs: [{ type: 'hls' }], video: { bitrateKbps: kbps } }, null, 2)}\n`);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function channel(name: string, hash: string): ChannelStatus {
  return {
    name, state: 'running', reason: null, pid: 7, startedAt: 1, uptimeMs: 1, restarts: 0, nextStartAt: null, lastExit: null,
    lastErrorLine: null, lastOutputAt: 1, lastSegmentAt: null, segmentsCompleted: 0, fps: 25, bitrateKbps: 100, speed: 1,
    configHash: hash, runningHash: hash, epoch: 0,
  };
}

describe('SnapshotSync', () => {
  it('plans once per new set of hashes, whether or not a heartbeat carries the rescan list', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-sync-'));
    dirs.push(dir);
    const { store } = await SnapshotStore.open(dir);
    const files = new Map([['news', config('news', 200)], ['sport', config('sport', 300)]]);
    let plans = 0;
    const planSync = store.planSync.bind(store);
    store.planSync = (...args: Parameters<typeof planSync>) => {
      plans++;
      return planSync(...args);
    };
    const sync = new SnapshotSync({
      store,
      now: () => 1000,
      report: () => {},
      request: async (_hostId, _method, p) => {
        const name = decodeURIComponent(p.split('/').at(-1)!);
        const bytes = files.get(name)!;
        return { name, hash: sha256(bytes), bytes: bytes.length, contentBase64: bytes.toString('base64') } as never;
      },
    });
    const status = (withScan: boolean): TranscoderStatus => {
      const channels = [...files].map(([name, bytes]) => channel(name, sha256(bytes)));
      return withScan ? { channels, scan: { scannedAt: 5, hashes: channels.map((c) => ({ name: c.name, hash: c.configHash! })) } } : { channels };
    };
    sync.observe('h1', status(false));
    await sync.idle();
    assert.equal((await store.history('h1', 'news')).entries.length, 1, 'the first heartbeat fetched and recorded news');
    const before = plans;
    for (let i = 0; i < 10; i++) sync.observe('h1', status(i % 3 === 0));
    assert.ok(plans - before <= 2, `the same hashes, with and without a rescan list, planned ${plans - before} times in 10 heartbeats`);
    const settledAt = plans;
    for (let i = 0; i < 10; i++) sync.observe('h1', status(i % 2 === 0));
    assert.equal(plans, settledAt, 'once settled, no heartbeat plans again');
    files.set('news', config('news', 250));
    sync.observe('h1', status(false));
    await sync.idle();
    assert.equal(plans, settledAt + 1, 'a changed hash is planned');
    assert.equal((await store.history('h1', 'news')).entries.length, 2, 'and the new version recorded');
  });
});
