/**
 * Issue 3 through the console engine, as the UI drives it: a real agent with the transcoder role running real ffmpeg
 * test channels, the real console (createConsole, conf store in a temp folder) talking to it over its WebSocket and
 * HTTP. Edits made on the "host" (the channels folder) become `host` snapshots journalled as out of band; a restore
 * puts the chosen version's exact bytes back; a corrupt file is a config error, a finding and an alert while the
 * previous snapshot stays; a save with a schema error names the field and writes nothing; start, stop and remove
 * are attributed to the operator in the journal.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LabAgent, startLabAgent } from '../../agents/lab/lab';
import { channelFileBytes, labTestChannel, labTranscoderSection, seedLabChannels } from '../../agents/lab/transcoder-lab';
import type { CallContext, TallyEvent } from '../../main/core/api';
import { createConsole, type TallyConsole } from '../../main/core/console';
import { ApiError } from '../../main/core/dispatch';
import { createConfStore } from '../../main/core/store/conf-store';
import { labOptions } from '../helpers/agents';
import { waitFor } from './helpers/wait-for';

const op: CallContext = { access: 'operator', operator: 'Ana', transport: 'http' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function whyNot(): string | null {
  const ffmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  return ffmpeg.error || ffmpeg.status !== 0 ? `ffmpeg cannot run (${ffmpeg.error?.message ?? `exit ${ffmpeg.status}`})` : null;
}
const skip = whyNot();
if (skip) console.log(`# console-transcoders skipped: ${skip}`);

describe('channels and config snapshots in the console, against a real transcoder agent and ffmpeg', { skip: skip ?? false, timeout: 180_000 }, () => {
  const opts = labOptions('console-transcoders');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-console-transcoders-'));
  const section = labTranscoderSection(opts.dir, 'tc-it');
  const fileOf = (channel: string) => path.join(section.channelsDir, `${channel}.json`);
  const events: TallyEvent[] = [];
  const ffmpegPids = new Set<number>();
  let agent: LabAgent;
  let engine: TallyConsole;
  let hostId = '';

  const q = () => engine.handlers.queries;
  const c = () => engine.handlers.commands;
  const channel = async (name: string) => (await q()['channels.list']({ hostId }, op)).find((v) => v.status.name === name)?.status;
  const history = async (name: string) => (await q()['channel.history']({ hostId, channel: name }, op)).entries;
  const journal = (kind: string) => engine.journal.recent(2000).filter((e) => e.kind === kind);

  before(async () => {
    seedLabChannels(section.channelsDir, ['news', 'sport']);
    agent = await startLabAgent({ name: 'tc-it', ip: '127.0.0.41', roles: ['system', 'transcoder'], extra: { transcoder: section } }, opts);
    engine = createConsole({ store: createConfStore(dataDir), dataDir });
    engine.subscribe((event) => {
      events.push(event);
      if (event.type === 'channels.changed') for (const ch of event.payload.channels) if (ch.pid) ffmpegPids.add(ch.pid);
    });
    engine.start();
    hostId = (await c()['host.add']({ name: 'tc-it', address: agent.address, token: agent.token, kind: 'transcoder', role: 'main', group: '' }, op)).id;
  });

  after(async () => {
    await engine?.stop();
    await agent?.stop();
    // setpriv --pdeathsig takes ffmpeg down with the agent; this only makes sure nothing outlives a failed run.
    for (const pid of ffmpegPids) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ffmpeg')) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone: what we want
        continue;
      }
    }
    opts.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the host’s channels running with a bitrate, and takes a first snapshot of each', async () => {
    for (const name of ['news', 'sport']) {
      const status = await waitFor(`${name} running with a bitrate`, async () => {
        const s = await channel(name);
        return s?.state === 'running' && (s.bitrateKbps ?? 0) > 0 ? s : undefined;
      }, 40_000);
      assert.ok(status.fps !== null && status.pid !== null);
      const entries = await waitFor(`a first snapshot of ${name}`, async () => ((await history(name)).length ? history(name) : undefined), 5000);
      assert.deepEqual(entries.map((e) => [e.source, e.hash, e.valid]), [['host', sha256(readFileSync(fileOf(name))), true]]);
    }
    assert.equal(journal('config.first-seen').length, 2);
    assert.deepEqual(journal('config.out-of-band'), []);
    assert.ok(events.some((e) => e.type === 'channels.changed' && e.payload.hostId === hostId));
  });

  it('an edit of a channel file on the host is a new `host` snapshot, journalled as an out-of-band change', async () => {
    const edited = channelFileBytes({ ...labTestChannel('news', 0), video: { preset: 'ultrafast', bitrateKbps: 300, keyframeSec: 2 } });
    const recorded = new Promise<number>((resolve) => {
      const off = engine.subscribe((e) => {
        if (e.type !== 'snapshot.recorded' || e.payload.channel !== 'news' || e.payload.entry.hash !== sha256(edited)) return;
        off();
        resolve(Date.now());
      });
    });
    const writtenAt = Date.now();
    writeFileSync(fileOf('news'), edited);
    // How fast is the drift benchmark's question (test/bench/drift.ts); here it only has to arrive.
    await Promise.race([recorded, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no snapshot.recorded within 5 s of the write at ${writtenAt}`)), 5000))]);
    const entries = await history('news');
    assert.deepEqual(entries.map((e) => [e.source, e.operator]), [['host', null], ['host', null]]);
    assert.equal(entries[1]!.hash, sha256(edited));
    const [oob] = journal('config.out-of-band');
    assert.match(oob?.message ?? '', /^out-of-band change on tc-it\/news: [0-9a-f]{12} → [0-9a-f]{12}$/);
    assert.equal(oob?.hostId, hostId);
    await waitFor('news running the edited config', async () => ((await channel('news'))?.runningHash === sha256(edited) ? true : undefined), 15_000);
  });

  it('restoring an older version puts its exact bytes back on the host', async () => {
    const [oldest, current] = await history('news');
    const entry = await c()['channel.restore']({ hostId, channel: 'news', hash: oldest!.hash, ifHash: current!.hash }, op);
    const onDisk = readFileSync(fileOf('news'));
    const diff = await q()['snapshot.diff']({ left: current!.hash, right: oldest!.hash }, op);
    assert.deepEqual(onDisk, Buffer.from((await q()['snapshot.get']({ hash: oldest!.hash }, op)).text), 'the file on the host is the chosen version, byte for byte');
    assert.equal(sha256(onDisk), oldest!.hash);
    assert.deepEqual([entry.source, entry.operator], ['console', 'Ana']);
    assert.equal(diff.changed, 1, `one line differs (the bitrate): ${JSON.stringify(diff.rows.filter((r) => r.kind !== 'same'))}`);
    assert.match(journal('config.pushed').at(-1)?.message ?? '', /^Ana restored version [0-9a-f]{12} to tc-it\/news/);
    await waitFor('news running the restored config', async () => ((await channel('news'))?.runningHash === oldest!.hash ? true : undefined), 15_000);
    assert.equal(journal('config.out-of-band').length, 1, 'a restore from the console is not out of band');
    assert.deepEqual((await history('news')).map((e) => e.source), ['host', 'host', 'console']);
  });

  it('a corrupt file: config-error, a finding and an alert, the previous snapshot intact, the old version still on air', async () => {
    const good = (await history('sport')).at(-1)!;
    const goodBytes = readFileSync(fileOf('sport'));
    writeFileSync(fileOf('sport'), '{"name": "sport", "input": ');
    const status = await waitFor('sport in config-error', async () => {
      const s = await channel('sport');
      return s?.state === 'config-error' ? s : undefined;
    }, 5000);
    assert.match(status.reason ?? '', /not JSON/);
    assert.equal(status.runningHash, good.hash, 'the last good version keeps running');
    const finding = await waitFor('the config-error finding', async () => (await q()['findings.list']({}, op)).find((f) => f.kind === 'channel.config-error'), 5000);
    assert.equal(finding.hostId, hostId);
    assert.match(finding.summary, /^tc-it\/sport: config error — /);
    const alert = await waitFor('the alert', async () => (await q()['alerts.list']({ resolvedLimit: 0 }, op)).open.find((a) => a.key === finding.key), 5000);
    assert.equal(alert.severity, 'major');
    assert.equal(journal('channel.config-error').length, 1);
    const entries = await waitFor('the corrupt version in the history', async () => {
      const e = await history('sport');
      return e.length === 2 ? e : undefined;
    }, 5000);
    assert.deepEqual([entries[0]!.hash, entries[1]!.valid], [good.hash, false]);
    assert.deepEqual(Buffer.from((await q()['snapshot.get']({ hash: good.hash }, op)).text), goodBytes, 'the previous snapshot is intact');
    // Repair by restoring the last good version: the finding and the alert clear.
    await c()['channel.restore']({ hostId, channel: 'sport', hash: good.hash, ifHash: entries[1]!.hash }, op);
    await waitFor('the finding cleared', async () => ((await q()['findings.list']({}, op)).some((f) => f.key === finding.key) ? undefined : true), 5000);
    await waitFor('the alert resolved', async () => ((await q()['alerts.list']({ resolvedLimit: 50 }, op)).open.some((a) => a.key === finding.key) ? undefined : true), 5000);
  });

  it('a save with a schema error is refused naming the field, and nothing is written', async () => {
    const before = readFileSync(fileOf('news'));
    const entriesBefore = (await history('news')).length;
    const text = before.toString('utf8').replace('"bitrateKbps": 200', '"bitrateKbps": "fast"');
    assert.notEqual(text, before.toString('utf8'));
    const err = await c()['channel.save']({ hostId, channel: 'news', text, ifHash: sha256(before) }, op).then(
      () => assert.fail('the save must be refused'),
      (e: unknown) => e as ApiError,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'bad-input');
    assert.match(err.message, /^tc-it\/news: not saved, the config is invalid: video\.bitrateKbps: /);
    assert.deepEqual(readFileSync(fileOf('news')), before);
    assert.equal((await history('news')).length, entriesBefore);

    const fixed = before.toString('utf8').replace('"bitrateKbps": 200', '"bitrateKbps": 250');
    const entry = await c()['channel.save']({ hostId, channel: 'news', text: fixed, ifHash: sha256(before) }, op);
    assert.deepEqual(readFileSync(fileOf('news')), Buffer.from(fixed));
    assert.deepEqual([entry.source, entry.operator, entry.hash], ['console', 'Ana', sha256(Buffer.from(fixed))]);
    const stale = await c()['channel.save']({ hostId, channel: 'news', text: before.toString('utf8'), ifHash: sha256(before) }, op).then(
      () => assert.fail('a save over a newer version must be refused'),
      (e: unknown) => e as ApiError,
    );
    assert.equal(stale.code, 'conflict');
    assert.deepEqual(readFileSync(fileOf('news')), Buffer.from(fixed));
  });

  it('start, stop and remove work through the console and are attributed in the journal', async () => {
    const stopped = await c()['channel.stop']({ hostId, channel: 'sport' }, op);
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.pid, null);
    await waitFor('sport listed as stopped', async () => ((await channel('sport'))?.state === 'stopped' ? true : undefined), 5000);
    await c()['channel.start']({ hostId, channel: 'sport' }, op);
    await waitFor('sport running again', async () => ((await channel('sport'))?.state === 'running' ? true : undefined), 20_000);
    assert.deepEqual(await c()['channel.remove']({ hostId, channel: 'sport' }, op), { removed: 'sport' });
    assert.equal(existsSync(fileOf('sport')), false, 'the file is gone from the host');
    await waitFor('sport gone from the list', async () => ((await channel('sport')) ? undefined : true), 5000);
    assert.ok((await history('sport')).length >= 1, 'its snapshots are kept');
    const actions = ['channel.stop', 'channel.start', 'channel.removed'].map((kind) => journal(kind).at(-1));
    assert.deepEqual(actions.map((e) => [e?.operator, e?.hostId]), [['Ana', hostId], ['Ana', hostId], ['Ana', hostId]]);
    assert.deepEqual(actions.map((e) => e?.message.split(':')[0]), ['Ana stopped tc-it/sport', 'Ana started tc-it/sport', 'Ana removed tc-it/sport']);
    const missing = await c()['channel.start']({ hostId, channel: 'sport' }, op).then(
      () => assert.fail('a removed channel cannot start'),
      (e: unknown) => e as ApiError,
    );
    assert.deepEqual([missing.code, missing.message], ['not-found', 'tc-it/sport: no channel sport on this host']);
  });
});
