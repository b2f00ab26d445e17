/**
 * The console engine end to end against real components: two nginx-rtmp origins fed by real ffmpeg publishers, real
 * agents running the origin role, a real snmpd as the switch. Checks the stream × origin matrix, the minOrigins
 * finding (and its alert) when one origin stops, the switch view, and — a host silent behind it — `unreachable` with
 * one root-cause finding on the switch: as root, through a veth "port" whose far end is in a namespace of the test's
 * own and goes down; everywhere, through the switch itself going silent.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LabAgent, startLabAgent } from '../../agents/lab/lab';
import { type NginxRtmpOrigin, nginxRtmpMissing, startNginxRtmp, startTestPublisher, type TestPublisher } from '../../agents/lab/origins-lab';
import { findSnmpd, type LabSnmpd, startLabSnmpd } from '../../agents/lab/switch-lab';
import { type CallContext, displayState } from '../../main/core/api';
import { createConsole, type TallyConsole } from '../../main/core/console';
import { createConfStore } from '../../main/core/store/conf-store';
import { labOptions } from '../helpers/agents';
import { waitFor } from './helpers/wait-for';

const op: CallContext = { access: 'operator', operator: 'it', transport: 'http' };

function whyNot(): string | null {
  const missing = nginxRtmpMissing();
  if (missing) return missing;
  if (!findSnmpd()) return 'snmpd is not installed (apt package snmpd)';
  const ffmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (ffmpeg.error || ffmpeg.status !== 0) return `ffmpeg cannot run (${ffmpeg.error?.message ?? `exit ${ffmpeg.status}`})`;
  return null;
}

function netnsWhyNot(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (a veth and a network namespace need it)';
  const ip = spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  if (ip.error || ip.status !== 0) return `"ip netns" is not available (${ip.error?.message ?? `exit ${ip.status}`})`;
  return null;
}

const skip = whyNot();
if (skip) console.log(`# origins-switches-console skipped: ${skip}`);
const netnsSkip = skip ?? netnsWhyNot();
if (!skip && netnsSkip) console.log(`# origins-switches-console: the veth case is skipped: ${netnsSkip}`);

describe('origins and switches in the console engine, against real nginx-rtmp, ffmpeg and snmpd', { skip: skip ?? false }, () => {
  const opts = labOptions('origins-switches');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-origins-switches-'));
  const suffix = randomBytes(3).toString('hex');
  const ns = `tally-h-${suffix}`;
  const portIf = `tv${suffix}`;
  const hostIf = `th${suffix}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
  let netnsMade = false;
  const origins: NginxRtmpOrigin[] = [];
  const publishers: TestPublisher[] = [];
  const agents: LabAgent[] = [];
  let snmpd: LabSnmpd;
  let engine: TallyConsole;
  const ids: Record<string, string> = {};
  let switchId = '';

  const q = () => engine.handlers.queries;
  const c = () => engine.handlers.commands;

  before(async () => {
    for (const [i, name] of ['it-origin-1', 'it-origin-2'].entries()) {
      const origin = await startNginxRtmp({ name, ip: `127.0.0.${31 + i}` }, { dir: opts.dir });
      origins.push(origin);
      publishers.push(startTestPublisher(origin.rtmpUrl('live', 'itest')));
    }
    snmpd = await startLabSnmpd({ name: 'it-switch', sysName: 'it-switch' }, { dir: opts.dir });
    const specs = [
      { name: 'origin-a', ip: '127.0.0.31', roles: ['system', 'origin'] as const, extra: origins[0]!.agentConfig(500) },
      { name: 'origin-b', ip: '127.0.0.32', roles: ['system', 'origin'] as const, extra: origins[1]!.agentConfig(500) },
      { name: 'tc-behind', ip: '127.0.0.33', roles: ['system'] as const },
      { name: 'tc-cabled', ip: '127.0.0.34', roles: ['system'] as const },
    ];
    for (const spec of specs) agents.push(await startLabAgent({ ...spec, roles: [...spec.roles] }, opts));
    engine = createConsole({ store: createConfStore(dataDir), dataDir });
    engine.start();
    for (const agent of agents) {
      const kind = agent.name.startsWith('origin') ? 'origin' : 'transcoder';
      ids[agent.name] = (await c()['host.add']({ name: agent.name, address: agent.address, token: agent.token, kind, role: 'main', group: '' }, op)).id;
    }
    // Ping off: with snmpd gone the switch is then "unreachable", not "SNMP silent" (loopback always answers ping).
    switchId = (await c()['switch.add']({ ...snmpd.switchSpec(), pollMs: 1000, timeoutMs: 500, retries: 0, icmp: false }, op)).id;
    for (const name of ['origin-a', 'origin-b', 'tc-behind']) {
      await c()['host.uplinks.set']({ hostId: ids[name]!, uplinks: [{ switchId, port: 'lo' }] }, op);
    }
  });

  after(async () => {
    for (const agent of agents) agent.process.kill('SIGCONT');
    await engine?.stop();
    await Promise.all(publishers.map((p) => p.stop()));
    await Promise.all(agents.map((a) => a.stop()));
    await Promise.all(origins.map((o) => o.stop()));
    await snmpd?.stop();
    if (netnsMade) {
      try {
        ip('netns', 'del', ns);
      } catch (err) {
        console.log(`# could not delete namespace ${ns}: ${(err as Error).message}`);
      }
      const left = execFileSync('ip', ['-o', 'link'], { timeout: 5000 }).toString();
      assert.ok(!left.includes(portIf), `the veth ${portIf} went with its namespace`);
    }
    opts.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the stream × origin matrix: live/itest live on both origins with a bitrate', async () => {
    const overview = await waitFor(
      `live/itest live with a bitrate on both origins (ffmpeg: ${publishers.map((p) => p.stderrTail() || 'quiet').join(' / ')})`,
      async () => {
        const o = await q()['origins.overview']({}, op);
        const row = o.matrix.streams.find((s) => s.key === 'live/itest');
        return row && row.liveOn.length === 2 && Object.values(row.cells).every((cell) => (cell.bitrateInKbps ?? 0) > 0) ? o : undefined;
      },
      30_000,
      500,
    );
    assert.deepEqual(overview.matrix.origins.map((o) => [o.hostName, o.state, o.server]), [['origin-a', 'ok', 'nginx-rtmp'], ['origin-b', 'ok', 'nginx-rtmp']]);
    const row = overview.matrix.streams.find((s) => s.key === 'live/itest')!;
    assert.match(row.video ?? '', /^H264 320×180/);
    assert.match(row.audio ?? '', /^AAC 48 kHz/);
    for (const cell of Object.values(row.cells)) assert.ok(cell.bitrateInKbps! > 50 && cell.bitrateInKbps! < 5000, `a 300 kbit/s stream reads ${cell.bitrateInKbps}`);
    const impact = await q()['origins.impact']({ hostId: ids['origin-a']! }, op);
    assert.deepEqual(impact.belowMin.map((s) => s.key), ['live/itest'], 'losing origin-a leaves live/itest on one origin');
    assert.deepEqual(impact.dark, []);
    assert.equal((await q()['findings.list']({}, op)).filter((f) => f.kind === 'origin.redundancy').length, 0);
  });

  it('when one origin stops, the stream is below minOrigins: a finding, and an alert', async () => {
    await origins[1]!.stop();
    const finding = await waitFor(
      'the minOrigins finding for live/itest',
      async () => (await q()['findings.list']({}, op)).find((f) => f.key === 'origin:live/itest:redundancy'),
      20_000,
      300,
    );
    assert.equal(finding.severity, 'major');
    assert.equal(finding.summary, 'live/itest is live on 1 origin (origin-a); 2 wanted');
    const { matrix } = await q()['origins.overview']({}, op);
    assert.equal(matrix.origins.find((o) => o.hostName === 'origin-b')?.state, 'api-error');
    const alerts = await waitFor('its alert', async () => (await q()['alerts.list']({ resolvedLimit: 0 }, op)).open.find((a) => a.key === finding.key), 5000);
    assert.equal(alerts.severity, 'major');
  });

  it('shows the switch: SNMP state, ports with rates, uplinks to the hosts', async () => {
    const sw = await waitFor(
      'the switch up with a rate on lo',
      async () => {
        const s = (await q()['network.overview']({}, op)).switches.find((x) => x.id === switchId);
        return s?.view.state === 'up' && s.view.ports.some((p) => p.name === 'lo' && p.inBps !== null) ? s : undefined;
      },
      15_000,
      500,
    );
    assert.equal(sw.view.sysName, 'it-switch');
    assert.ok(!JSON.stringify(sw).includes(snmpd.community), 'the community is never in a view');
    assert.deepEqual(sw.uplinks.map((u) => [u.hostName, u.state]).sort(), [['origin-a', 'up'], ['origin-b', 'up'], ['tc-behind', 'up']]);
    const traffic = await q()['switch.traffic']({ switchId, maxPoints: 60 }, op);
    assert.ok(traffic.ports.some((p) => p.points.length > 0), 'traffic history per port');
    assert.equal(engine.hostView(ids['tc-behind']!)?.network?.reachability, 'reachable');
    const advisory = (await q()['network.overview']({}, op)).advisories.find((a) => a.key === 'spof:stream-origins:live/itest');
    assert.equal(advisory, undefined, 'live/itest is on one origin now: no pair to advise about');
  });

  it('a wrong community is a state of the switch, not a crash', async () => {
    await c()['switch.update']({ id: switchId, patch: { community: 'not-the-community', icmp: true } }, op);
    const sw = await waitFor('SNMP silent', async () => (await q()['network.overview']({}, op)).switches.find((s) => s.id === switchId && s.view.state === 'snmp-silent'), 10_000, 300);
    assert.match(sw.view.error ?? '', /check the community/);
    await c()['switch.update']({ id: switchId, patch: { community: snmpd.community, icmp: false } }, op);
    await waitFor('up again', async () => (await q()['network.overview']({}, op)).switches.find((s) => s.id === switchId && s.view.state === 'up'), 10_000, 300);
  });

  it('as root: a host whose only uplink (a veth port) goes down and that falls silent is unreachable, under one finding on the switch', { skip: netnsSkip ?? false }, async () => {
    ip('netns', 'add', ns);
    netnsMade = true;
    ip('link', 'add', portIf, 'type', 'veth', 'peer', 'name', hostIf, 'netns', ns);
    ip('link', 'set', portIf, 'up');
    ip('-n', ns, 'link', 'set', hostIf, 'up');
    const host = ids['tc-cabled']!;
    await waitFor(`snmpd lists ${portIf} up`, async () => (await q()['network.overview']({}, op)).switches[0]?.view.ports.find((p) => p.name === portIf && p.oper === 'up'), 15_000, 300);
    await c()['host.uplinks.set']({ hostId: host, uplinks: [{ switchId, port: portIf }] }, op);
    assert.equal(engine.hostView(host)?.network?.reachability, 'reachable');

    // The cable is pulled: the far end goes down and the host falls silent (its agent frozen).
    ip('-n', ns, 'link', 'set', hostIf, 'down');
    agents.find((a) => a.name === 'tc-cabled')!.pause();
    const view = await waitFor('tc-cabled unreachable', () => (engine.hostView(host)?.network?.reachability === 'unreachable' ? engine.hostView(host) : undefined), 20_000, 200);
    assert.equal(displayState(view!), 'unreachable');
    assert.match(view!.network?.reason ?? '', new RegExp(`every uplink is down, behind it-switch: it-switch ${portIf} is (down|lowerLayerDown)`));
    const findings = (await q()['findings.list']({}, op)).filter((f) => f.related.includes(host) && f.kind !== 'network.spof');
    assert.deepEqual(findings.map((f) => [f.key, f.hostId]), [[`switch:${switchId}:uplinks-down`, switchId]], 'one root-cause finding, on the switch');
    assert.ok(engine.journal.recent(200).some((e) => e.kind === 'switch.port' && e.message.includes(portIf) && e.message.includes('uplink of tc-cabled')));

    agents.find((a) => a.name === 'tc-cabled')!.resume();
    ip('-n', ns, 'link', 'set', hostIf, 'up');
    await waitFor('tc-cabled reachable again', () => engine.hostView(host)?.network?.reachability === 'reachable' || undefined, 20_000, 200);
  });

  it('a switch gone silent: the silent host behind it is unreachable, one critical root cause, its own alert folded under it', async () => {
    const host = ids['tc-behind']!;
    await snmpd.stop();
    agents.find((a) => a.name === 'tc-behind')!.pause();
    const view = await waitFor('tc-behind unreachable and down', () => {
      const v = engine.hostView(host);
      return v?.network?.reachability === 'unreachable' && v.health === 'down' ? v : undefined;
    }, 20_000, 200);
    assert.equal(displayState(view!), 'unreachable');
    assert.deepEqual(view!.network?.causeSwitchIds, [switchId]);
    const roots = (await q()['findings.list']({}, op)).filter((f) => f.kind === 'switch.down');
    assert.equal(roots.length, 1);
    assert.equal(roots[0]!.severity, 'critical');
    assert.deepEqual(roots[0]!.related, [host]);
    assert.match(roots[0]!.summary, /^Switch it-switch is unreachable; 1 host behind it unreachable: tc-behind; origin-a, origin-b(, tc-cabled)? behind it still answer/);
    assert.equal((await q()['findings.list']({}, op)).filter((f) => f.related.includes(host) && f.kind !== 'network.spof').length, 1, 'no storm: one finding names the host');
    const folded = await waitFor(
      "tc-behind's own alert folded under the switch's",
      async () => (await q()['alerts.list']({ resolvedLimit: 0 }, op)).open.find((a) => a.hostId === host && a.suppressedBy?.reason === 'parent'),
      10_000,
      300,
    );
    assert.equal(folded.kind, 'host.health');
  });
});
