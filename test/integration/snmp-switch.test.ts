/**
 * The console's SNMP polling against a real snmpd (net-snmp) on loopback with its own config: system group and
 * interface tables come back, two polls give rates, a wrong community and a vanished agent are switch states, a
 * restarted agent is seen as a restart. As root: snmpd inside a network namespace whose veth (a "switch port" with a
 * "host" namespace on the other end) goes down and up, seen as ifOperStatus changes by the real monitor.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findSnmpd, type LabSnmpd, startLabSnmpd } from '../../agents/lab/switch-lab';
import { systemClock } from '../../main/core/clock';
import { pingOnce } from '../../main/core/network/icmp-check';
import { connectSnmp, type SnmpTarget } from '../../main/core/network/snmp-client';
import { pollSnmp } from '../../main/core/network/snmp-poller';
import { SwitchSpec } from '../../main/core/network/switch-spec';
import { createSwitchMonitor } from '../../main/core/network/switch-monitor';
import type { SwitchEvent, SwitchView } from '../../main/core/network/switch-view';
import { waitFor } from './helpers/wait-for';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const noSnmpd = findSnmpd() ? null : 'snmpd is not installed (apt package snmpd)';
if (noSnmpd) console.log(`# snmp-switch skipped: ${noSnmpd}`);

function socketErrors(): { errors: string[]; onError: (err: Error) => void } {
  const errors: string[] = [];
  return { errors, onError: (err) => void errors.push(err.message) };
}

describe('SNMP polling of a real snmpd on loopback', { skip: noSnmpd ?? false }, () => {
  let dir: string;
  let snmpd: LabSnmpd;
  const target = (over: Partial<SnmpTarget> = {}): SnmpTarget => ({
    address: '127.0.0.1', port: snmpd.port, community: snmpd.community, timeoutMs: 1000, retries: 0, ...over,
  });
  const spec = (over: Record<string, unknown> = {}) => SwitchSpec.parse({ ...snmpd.switchSpec(), timeoutMs: 700, retries: 0, ...over });

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-snmp-it-'));
    snmpd = await startLabSnmpd({ name: 'it-switch', sysName: 'it-switch' }, { dir });
  });

  after(async () => {
    await snmpd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads sysName, sysUpTime and the ifTable/ifXTable rows', async () => {
    const { errors, onError } = socketErrors();
    const poll = await pollSnmp(connectSnmp(target(), onError));
    assert.ok(poll.ok, poll.ok ? '' : poll.failure.message);
    assert.equal(poll.system.sysName, 'it-switch');
    assert.equal(typeof poll.system.sysUpTimeCs, 'number');
    const lo = poll.interfaces.find((i) => i.name === 'lo' || i.descr === 'lo');
    assert.ok(lo, `a loopback row among ${poll.interfaces.map((i) => i.name ?? i.descr).join(', ')}`);
    assert.equal(lo.admin, 'up');
    assert.equal(lo.oper, 'up');
    assert.equal(lo.inOctets?.bits, 64, 'HC counters from ifXTable');
    assert.deepEqual(errors, []);
  });

  it('turns two polls into rates, with a real ping beside SNMP', async () => {
    const monitor = createSwitchMonitor(spec({ icmp: true }), { clock: systemClock, onUpdate() {} });
    await monitor.pollNow();
    // snmpd caches interface counters for about 3 s.
    await sleep(3500);
    const view = await monitor.pollNow();
    assert.equal(view.state, 'up');
    assert.ok(view.rttMs !== null, 'ping answered');
    const lo = view.ports.find((p) => p.name === 'lo' || p.descr === 'lo');
    assert.ok(lo && lo.inBps !== null && lo.inBps > 0, `loopback traffic has a rate: ${JSON.stringify(lo)}`);
  });

  it('a wrong community is a switch state (SNMP silent while ping answers), not a throw', async () => {
    const poll = await pollSnmp(connectSnmp(target({ community: 'not-the-community', timeoutMs: 500 }), () => {}));
    assert.equal(poll.ok, false);
    assert.equal(poll.ok ? null : poll.failure.kind, 'timeout');
    const updates: SwitchView[] = [];
    const monitor = createSwitchMonitor(spec({ community: 'not-the-community', icmp: true }), { clock: systemClock, onUpdate: (v) => void updates.push(v) });
    const view = await monitor.pollNow();
    assert.equal(view.state, 'snmp-silent');
    assert.match(view.error ?? '', /check the community/);
    assert.equal(updates.length, 1);
  });

  it('sees the agent restart (sysUpTime starting over) as a restart', async () => {
    const events: SwitchEvent[] = [];
    const monitor = createSwitchMonitor(spec({ icmp: false }), { clock: systemClock, onUpdate: (_v, e) => void events.push(...e) });
    const first = await monitor.pollNow();
    assert.ok((first.uptimeSec ?? 0) >= 1, `snmpd has been up a while: ${first.uptimeSec}`);
    await snmpd.restart();
    const second = await monitor.pollNow();
    assert.equal(second.state, 'up');
    assert.ok(events.some((e) => e.type === 'switch.restarted'), JSON.stringify(events));
    assert.ok(second.lastRestartAt !== null);
  });

  it('an agent that is gone: ping off → presumed unreachable, and it says why it cannot tell', async () => {
    await snmpd.stop();
    const monitor = createSwitchMonitor(spec({ icmp: false }), { clock: systemClock, onUpdate() {} });
    const view = await monitor.pollNow();
    assert.equal(view.state, 'unreachable');
    assert.match(view.error ?? '', /ping is off/);
  });

  it('the real ping package answers for loopback', async () => {
    assert.equal((await pingOnce('127.0.0.1', 1000)).kind, 'alive');
  });
});

function netnsSkipReason(): string | null {
  if (noSnmpd) return noSnmpd;
  if (process.getuid?.() !== 0) return 'not running as root (network namespaces need it)';
  const ip = spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  if (ip.error || ip.status !== 0) return `"ip netns" is not available (${ip.error?.message ?? `exit ${ip.status}`})`;
  return null;
}

const netnsSkip = netnsSkipReason();
if (netnsSkip) console.log(`# snmp-switch namespace case skipped: ${netnsSkip}`);

describe('a switch port going down and up, in a network namespace', { skip: netnsSkip ?? false }, () => {
  const suffix = randomBytes(3).toString('hex');
  const nsSwitch = `tally-sw-${suffix}`;
  const nsHost = `tally-host-${suffix}`;
  const portIf = `tsw${suffix}`;
  const hostIf = `thost${suffix}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
  let dir: string;
  let snmpd: LabSnmpd | undefined;
  let poller: ChildProcess | undefined;
  let latest: SwitchView | undefined;
  const events: SwitchEvent[] = [];
  const pollerErrors: string[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tally-snmp-netns-'));
    ip('netns', 'add', nsSwitch);
    ip('netns', 'add', nsHost);
    ip('link', 'add', portIf, 'netns', nsSwitch, 'type', 'veth', 'peer', 'name', hostIf, 'netns', nsHost);
    ip('-n', nsSwitch, 'link', 'set', 'lo', 'up');
    ip('-n', nsSwitch, 'link', 'set', portIf, 'up');
    ip('-n', nsHost, 'link', 'set', hostIf, 'up');
    // Inside its own namespace, any port is free on its own loopback.
    snmpd = await startLabSnmpd({ name: 'ns-switch', netns: nsSwitch, port: 16161, sysName: 'ns-switch' }, { dir });
    const spec = { ...snmpd.switchSpec(), pollMs: 500, timeoutMs: 500, retries: 0, icmp: false };
    poller = spawn('ip', ['netns', 'exec', nsSwitch, process.execPath, '--import', 'tsx', path.join(repo, 'test/integration/helpers/switch-poll-loop.ts'), JSON.stringify({ spec, maxMs: 60_000 })], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: poller.stdout! }).on('line', (line) => {
      const update = JSON.parse(line) as { view: SwitchView; events: SwitchEvent[] };
      latest = update.view;
      events.push(...update.events);
    });
    createInterface({ input: poller.stderr! }).on('line', (line) => void pollerErrors.push(line));
    poller.once('exit', (code, signal) => void pollerErrors.push(`poller exited (${code ?? signal})`));
  });

  after(async () => {
    if (poller && poller.exitCode === null && poller.signalCode === null) {
      const exited = new Promise((r) => poller!.once('exit', r));
      poller.kill('SIGTERM');
      await Promise.race([exited, sleep(3000).then(() => poller!.kill('SIGKILL'))]);
    }
    await snmpd?.stop();
    for (const ns of [nsHost, nsSwitch]) {
      try {
        ip('netns', 'del', ns);
      } catch (err) {
        console.log(`# could not delete namespace ${ns}: ${(err as Error).message}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    const left = execFileSync('ip', ['netns', 'list'], { timeout: 5000 }).toString();
    assert.ok(!left.includes(suffix), `namespaces left behind: ${left}`);
  });

  const port = () => latest?.ports.find((p) => p.name === portIf || p.descr === portIf);
  const portIs = (what: string, test: (p: NonNullable<ReturnType<typeof port>>) => boolean) =>
    waitFor(`${portIf} ${what} (poller: ${pollerErrors.slice(-3).join(' | ') || 'quiet'})`, () => {
      const p = port();
      return p && test(p) ? p : undefined;
    }, 10_000, 100);

  it('sees the port up while the host end is up', async () => {
    const p = await portIs('up', (p) => p.oper === 'up');
    assert.equal(latest?.sysName, 'ns-switch');
    assert.equal(p.admin, 'up');
  });

  it('sees the port go down when the host end goes down (admin still up), and says so', async (t) => {
    ip('-n', nsHost, 'link', 'set', hostIf, 'down');
    const p = await portIs('down', (p) => p.oper !== 'up');
    t.diagnostic(`${portIf} reads ifOperStatus ${p.oper} with its peer down`);
    assert.equal(p.admin, 'up');
    assert.ok(['down', 'lowerLayerDown'].includes(p.oper), p.oper);
    assert.ok(events.some((e) => e.type === 'switch.port' && e.to === p.oper), JSON.stringify(events));
  });

  it('sees the port come back up', async () => {
    ip('-n', nsHost, 'link', 'set', hostIf, 'up');
    await portIs('up again', (p) => p.oper === 'up');
  });

  it('sees a port shut down on the switch side as admin down', async () => {
    ip('-n', nsSwitch, 'link', 'set', portIf, 'down');
    const p = await portIs('admin down', (p) => p.admin === 'down');
    assert.equal(p.oper, 'down');
  });
});
