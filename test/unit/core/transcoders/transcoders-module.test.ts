/**
 * The transcoders module against a scripted agent: the channel files live in a map, heartbeats report their hashes,
 * and the HTTP commands act on the map as the real agent does (ifHash, 404, 409). The real agent is covered by
 * test/integration/console-transcoders.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import type { ChannelStatus } from '../../../../agents/protocol';
import type { Finding } from '../../../../main/core/findings/finding';
import { createTranscodersModule, FIGURES_EVERY_MS, figuresEveryMs } from '../../../../main/core/transcoders/transcoders-module';
import { ApiError } from '../../../../main/core/dispatch';
import { moduleHarness, operator, settle } from '../module-harness';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const config = (name: string, bitrateKbps = 200) =>
  Buffer.from(`${JSON.stringify({ name, input: { url: 'lavfi:testsrc2=size=320x180:rate=10' }, outputs: [{ type: 'hls' }], video: { bitrateKbps } }, null, 2)}\n`);

/** What the agent of one host holds: channel files, stopped channels, and every request it got. */
class ScriptedAgent {
  files = new Map<string, Buffer>();
  stopped = new Set<string>();
  requests: string[] = [];
  figures = { bitrateKbps: 210, fps: 10 };

  status(name: string): ChannelStatus {
    const bytes = this.files.get(name)!;
    const broken = !bytes.toString('utf8').trim().endsWith('}');
    return {
      name,
      state: broken ? 'config-error' : this.stopped.has(name) ? 'stopped' : 'running',
      reason: broken ? 'the config is not JSON' : null,
      pid: this.stopped.has(name) ? null : 4242,
      startedAt: 1,
      uptimeMs: 1000,
      restarts: 0,
      nextStartAt: null,
      lastExit: null,
      lastErrorLine: null,
      lastOutputAt: 1,
      lastSegmentAt: 1,
      segmentsCompleted: 3,
      fps: this.figures.fps,
      bitrateKbps: this.figures.bitrateKbps,
      speed: 1,
      configHash: sha256(bytes),
      runningHash: sha256(bytes),
      epoch: 0,
    };
  }

  heartbeat() {
    return { transcoder: { channels: [...this.files.keys()].sort().map((n) => this.status(n)) } };
  }

  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    this.requests.push(`${method} ${path}`);
    const name = decodeURIComponent(path.split('/').at(-1)!);
    const missing = () => new Error(`agent answered 404: no channel ${name} on this host`);
    if (path.startsWith('/v1/transcoder/config/') && method === 'GET') {
      const bytes = this.files.get(name);
      if (!bytes) throw missing();
      return { name, hash: sha256(bytes), bytes: bytes.length, contentBase64: bytes.toString('base64') };
    }
    if (path.startsWith('/v1/transcoder/config/') && method === 'PUT') {
      const { contentBase64, ifHash } = body as { contentBase64: string; ifHash?: string | null };
      const current = this.files.get(name);
      if (ifHash !== undefined && (current ? sha256(current) : null) !== ifHash) throw new Error(`agent answered 409: channel ${name} changed on the host`);
      const bytes = Buffer.from(contentBase64, 'base64');
      this.files.set(name, bytes);
      return { name, hash: sha256(bytes), bytes: bytes.length, created: !current, channel: this.status(name) };
    }
    if (!this.files.has(name)) throw missing();
    if (path.startsWith('/v1/transcoder/start/')) this.stopped.delete(name);
    else if (path.startsWith('/v1/transcoder/stop/')) this.stopped.add(name);
    else if (method === 'DELETE') {
      const hash = sha256(this.files.get(name)!);
      this.files.delete(name);
      return { name, removed: true, hash };
    }
    return { channel: this.status(name) };
  }
}

function plant() {
  const h = moduleHarness();
  const published: Finding[][] = [];
  const mod = createTranscodersModule(h.ctx, { findings: { publish: (_source, findings) => void published.push([...findings]) } });
  mod.start?.();
  cleanups.push(h.cleanup, async () => mod.stop?.());
  const agent = new ScriptedAgent();
  agent.files.set('news', config('news'));
  agent.files.set('sport', config('sport'));
  const hostId = h.addHost({ name: 'tc-1', ip: '127.0.0.2' }, ['system', 'transcoder']);
  const link = h.fleet.runtime(hostId)!.link!;
  link.request = ((method: string, path: string, body?: unknown) => agent.request(method, path, body)) as typeof link.request;
  /** One heartbeat, then every fetch it caused is stored. */
  const beat = async () => {
    h.beat(hostId, agent.heartbeat());
    await settle();
    await (await mod.ready()).sync.idle();
  };
  /** One heartbeat carrying exactly this status object (as the agent link hands over what deltas updated in place). */
  const beatWith = async (status: ReturnType<ScriptedAgent['heartbeat']>) => {
    h.beat(hostId, status);
    await settle();
    await (await mod.ready()).sync.idle();
  };
  const journal = (kind: string) => h.journal.recent(500).filter((e) => e.kind === kind);
  const history = async (channel: string) => (await mod.queries['channel.history']({ hostId, channel }, operator)).entries;
  return { ...h, mod, agent, hostId, beat, beatWith, journal, history, published };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError, `an ApiError, not ${String(err)}`);
  return err;
}

describe('transcoders module', () => {
  it('takes a first snapshot of every channel it meets, journalled as first seen, not as out of band', async () => {
    const p = plant();
    await p.mod.ready();
    await p.beat();
    assert.deepEqual((await p.history('news')).map((e) => [e.source, e.hash]), [['host', sha256(config('news'))]]);
    assert.deepEqual(p.journal('config.first-seen').map((e) => e.message).sort(), [
      `first snapshot of tc-1/news (${sha256(config('news')).slice(0, 12)})`,
      `first snapshot of tc-1/sport (${sha256(config('sport')).slice(0, 12)})`,
    ]);
    assert.deepEqual(p.journal('config.out-of-band'), []);
    assert.equal(p.eventsOf('snapshot.recorded').length, 2);
    const listed = await p.mod.queries['channels.list']({}, operator);
    assert.deepEqual(listed.map((c) => [c.hostName, c.status.name, c.status.state, c.status.bitrateKbps]), [['tc-1', 'news', 'running', 210], ['tc-1', 'sport', 'running', 210]]);
  });

  it('stores an edit made on the host as a host version and journals "out-of-band change on HOST/CHANNEL"', async () => {
    const p = plant();
    await p.beat();
    p.agent.files.set('news', config('news', 900));
    await p.beat();
    const entries = await p.history('news');
    assert.deepEqual(entries.map((e) => [e.source, e.operator]), [['host', null], ['host', null]]);
    assert.equal(entries[1]!.hash, sha256(config('news', 900)));
    const [oob] = p.journal('config.out-of-band');
    assert.equal(oob?.message, `out-of-band change on tc-1/news: ${sha256(config('news')).slice(0, 12)} → ${sha256(config('news', 900)).slice(0, 12)}`);
    assert.equal(oob?.severity, 'warning');
    assert.equal(p.eventsOf('snapshot.recorded').at(-1)?.payload.entry.hash, entries[1]!.hash);
  });

  it('calls a channel that appears on a known host out of band too', async () => {
    const p = plant();
    await p.beat();
    p.agent.files.set('music', config('music'));
    await p.beat();
    assert.match(p.journal('config.out-of-band')[0]?.message ?? '', /^out-of-band change on tc-1\/music: new channel, [0-9a-f]{12}$/);
    assert.equal(p.journal('config.first-seen').length, 2, 'only the channels met at the first heartbeat');
  });

  it('refuses to save a config with a schema error, naming the field, and sends nothing to the host', async () => {
    const p = plant();
    await p.beat();
    const text = config('news').toString('utf8').replace('"bitrateKbps": 200', '"bitrateKbps": 5');
    const before = p.agent.requests.length;
    const err = await refusal(p.mod.commands['channel.save']({ hostId: p.hostId, channel: 'news', text }, operator));
    assert.equal(err.code, 'bad-input');
    assert.match(err.message, /^tc-1\/news: not saved, the config is invalid: video\.bitrateKbps: .*32/);
    assert.deepEqual(p.agent.requests.slice(before), []);
    assert.deepEqual(p.agent.files.get('news'), config('news'));
    const named = await refusal(p.mod.commands['channel.save']({ hostId: p.hostId, channel: 'news', text: config('sport').toString() }, operator));
    assert.match(named.message, /name: must be "news"/);
  });

  it('saves an edit as a console version by its operator; the heartbeat that follows adds nothing', async () => {
    const p = plant();
    await p.beat();
    const text = config('news', 400).toString('utf8');
    const entry = await p.mod.commands['channel.save']({ hostId: p.hostId, channel: 'news', text, ifHash: sha256(config('news')) }, operator);
    assert.deepEqual([entry.source, entry.operator, entry.hash], ['console', 'ana', sha256(Buffer.from(text))]);
    assert.deepEqual(p.agent.files.get('news'), Buffer.from(text));
    await p.beat();
    assert.deepEqual((await p.history('news')).map((e) => e.source), ['host', 'console']);
    assert.deepEqual(p.journal('config.out-of-band'), []);
    assert.match(p.journal('config.pushed')[0]?.message ?? '', /^ana saved an edited config of tc-1\/news \([0-9a-f]{12}\)$/);
  });

  it('does not overwrite a change made on the host meanwhile (ifHash)', async () => {
    const p = plant();
    await p.beat();
    p.agent.files.set('news', config('news', 700));
    const err = await refusal(p.mod.commands['channel.save']({ hostId: p.hostId, channel: 'news', text: config('news', 400).toString(), ifHash: sha256(config('news')) }, operator));
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /changed on the host.*nothing was written/);
    assert.deepEqual(p.agent.files.get('news'), config('news', 700));
  });

  it('restores a valid version byte for byte, and refuses an invalid one', async () => {
    const p = plant();
    await p.beat();
    p.agent.files.set('news', Buffer.from('{"name": "news"'));
    await p.beat();
    const [good, bad] = await p.history('news');
    assert.equal(bad!.valid, false);
    const refused = await refusal(p.mod.commands['channel.restore']({ hostId: p.hostId, channel: 'news', hash: bad!.hash }, operator));
    assert.equal(refused.code, 'bad-input');
    assert.match(refused.message, /^tc-1\/news: version [0-9a-f]{12} cannot be restored: the config is not JSON/);
    const stale = await refusal(p.mod.commands['channel.restore']({ hostId: p.hostId, channel: 'news', hash: good!.hash, ifHash: good!.hash }, operator));
    assert.equal(stale.code, 'conflict', 'the host no longer has the version the operator saw');
    const entry = await p.mod.commands['channel.restore']({ hostId: p.hostId, channel: 'news', hash: good!.hash, ifHash: bad!.hash }, operator);
    assert.deepEqual(p.agent.files.get('news'), config('news'));
    assert.deepEqual([entry.source, entry.operator, entry.hash], ['console', 'ana', good!.hash]);
    assert.match(entry.note ?? '', /^restored [0-9a-f]{12} of /);
    assert.match(p.journal('config.pushed').at(-1)?.message ?? '', /^ana restored version [0-9a-f]{12} to tc-1\/news/);
  });

  it('raises a config-error finding once, keeps it quiet while it lasts, and clears it when the file is fixed', async () => {
    const p = plant();
    await p.beat();
    p.agent.files.set('sport', Buffer.from('{"name": "sp'));
    await p.beat();
    await p.beat();
    await p.beat();
    assert.equal(p.published.length, 1, 'published once, not on every heartbeat');
    assert.deepEqual(p.published[0]!.map((f) => [f.key, f.kind, f.severity, f.hostId]), [[`channel:${p.hostId}:sport:config-error`, 'channel.config-error', 'major', p.hostId]]);
    assert.match(p.published[0]![0]!.summary, /^tc-1\/sport: config error — the config is not JSON/);
    assert.equal(p.journal('channel.config-error').length, 1);
    assert.equal((await p.history('sport')).at(-1)?.valid, false);
    p.agent.files.set('sport', config('sport'));
    await p.beat();
    assert.deepEqual(p.published.at(-1), []);
  });

  it('sees a state change made in place on the objects it already holds (channel deltas update them so)', async () => {
    const p = plant();
    const status = p.agent.heartbeat();
    await p.beatWith(status);
    const sport = status.transcoder.channels.find((c) => c.name === 'sport')!;
    Object.assign(sport, { state: 'config-error', reason: 'the config is not JSON' });
    await p.beatWith(status);
    await p.beatWith(status);
    assert.equal(p.journal('channel.config-error').length, 1, 'journalled once, when it began');
    assert.deepEqual(p.published.at(-1)!.map((f) => f.key), [`channel:${p.hostId}:sport:config-error`]);
    Object.assign(sport, { state: 'running', reason: null });
    await p.beatWith(status);
    assert.deepEqual(p.published.at(-1), []);
    Object.assign(sport, { state: 'config-error', reason: 'the config is not JSON' });
    await p.beatWith(status);
    assert.equal(p.journal('channel.config-error').length, 2, 'a new config error is journalled again');
  });

  it('start, stop and remove go to the agent and are journalled with the operator', async () => {
    const p = plant();
    await p.beat();
    const stopped = await p.mod.commands['channel.stop']({ hostId: p.hostId, channel: 'news' }, operator);
    assert.equal(stopped.state, 'stopped');
    const started = await p.mod.commands['channel.start']({ hostId: p.hostId, channel: 'news' }, operator);
    assert.equal(started.state, 'running');
    assert.deepEqual(await p.mod.commands['channel.remove']({ hostId: p.hostId, channel: 'sport' }, operator), { removed: 'sport' });
    assert.equal(p.agent.files.has('sport'), false);
    const actions = p.journal('channel.stop').concat(p.journal('channel.start'), p.journal('channel.removed'));
    assert.deepEqual(actions.map((e) => [e.operator, e.message.split(':')[0]]), [
      ['ana', 'ana stopped tc-1/news'],
      ['ana', 'ana started tc-1/news'],
      ['ana', 'ana removed tc-1/sport'],
    ]);
    assert.equal((await p.history('sport')).length, 1, 'the snapshots of a removed channel are kept');
  });

  it('says what went wrong with the agent in the operator’s terms', async () => {
    const p = plant();
    await p.beat();
    const missing = await refusal(p.mod.commands['channel.start']({ hostId: p.hostId, channel: 'nope' }, operator));
    assert.deepEqual([missing.code, missing.message], ['not-found', 'tc-1/nope: no channel nope on this host']);
    const unknownHost = await refusal(p.mod.commands['channel.stop']({ hostId: 'h-zz', channel: 'news' }, operator));
    assert.equal(unknownHost.code, 'not-found');
    p.fleet.runtime(p.hostId)!.linkState = 'disconnected';
    const offline = await refusal(p.mod.commands['channel.stop']({ hostId: p.hostId, channel: 'news' }, operator));
    assert.deepEqual([offline.code, /^tc-1 is not connected \(disconnected\)$/.test(offline.message)], ['unavailable', true]);
  });

  it('sends state changes at once and live figures at most once a second per host', async () => {
    const p = plant();
    await p.beat();
    const count = () => p.eventsOf('channels.changed').length;
    const first = count();
    for (let i = 0; i < 4; i++) {
      p.agent.figures.bitrateKbps += 1;
      await p.beat();
    }
    assert.equal(count(), first, 'figures alone wait for the next second');
    p.agent.stopped.add('news');
    await p.beat();
    assert.equal(count(), first + 1, 'a state change goes at once');
    p.clock.advance(FIGURES_EVERY_MS);
    await p.beat();
    assert.equal(count(), first + 2);
  });

  it('forgets a removed host: its channels and its findings', async () => {
    const p = plant();
    p.agent.files.set('sport', Buffer.from('{'));
    await p.beat();
    assert.equal(p.published.at(-1)?.length, 1);
    p.inventory.remove(p.hostId);
    p.fleet.detach(p.hostId);
    await p.advance(2500);
    assert.deepEqual(await p.mod.queries['channels.list']({}, operator), []);
    assert.deepEqual(p.published.at(-1), []);
  });

  it('refreshes live figures every second on a small plant, and less often on a big one (state changes still go at once)', () => {
    assert.equal(figuresEveryMs(9), FIGURES_EVERY_MS);
    assert.equal(figuresEveryMs(200), 1000);
    assert.equal(figuresEveryMs(500), 2500);
    assert.equal(figuresEveryMs(1000), 5000);
    assert.equal(figuresEveryMs(5000), 5000);
  });
});
