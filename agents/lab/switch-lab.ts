/**
 * The lab's switch: a real snmpd (net-snmp) with its own config (`-f -Lo -C -c conf`, `MIBS=`, its persistent state in
 * the lab folder), answering SNMP v2c on loopback, optionally inside a network namespace the caller made. Its
 * IF-MIB shows the interfaces of the namespace it runs in. Imports nothing from main/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const SNMPD_CANDIDATES = ['/usr/sbin/snmpd', '/usr/bin/snmpd'];
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3000;

export function findSnmpd(): string | null {
  return SNMPD_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** A UDP port free on `ip` right now. */
export function freeUdpPort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, ip, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

export interface LabSnmpdSpec {
  name: string;
  ip?: string;
  /** Fixed port; by default a free one (in the root namespace; pass one when running in a namespace). */
  port?: number;
  community?: string;
  sysName?: string;
  /** Run inside this network namespace (`ip netns exec`); needs root. */
  netns?: string;
}

export interface LabSnmpd {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly community: string;
  readonly sysName: string;
  readonly dir: string;
  /** What the console records for this switch (SwitchSpec input of main/core/network/switch-spec.ts). */
  switchSpec(): { id: string; name: string; address: string; snmpPort: number; community: string };
  pid(): number;
  stop(): Promise<void>;
  /** Stops and starts snmpd again on the same port: sysUpTime starts over, as after a switch reboot. */
  restart(): Promise<void>;
}

function snmpdConfig(ip: string, port: number, community: string, sysName: string): string {
  return `agentAddress udp:${ip}:${port}
rocommunity ${community} 127.0.0.0/8
sysName ${sysName}
sysLocation tally lab
sysContact noc@tally.invalid
sysServices 2
dontLogTCPWrappersConnects yes
`;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startLabSnmpd(spec: LabSnmpdSpec, opts: { dir: string }): Promise<LabSnmpd> {
  const found = findSnmpd();
  if (!found) throw new Error(`snmpd is not installed (looked for ${SNMPD_CANDIDATES.join(', ')})`);
  const snmpd: string = found;
  const ip = spec.ip ?? '127.0.0.1';
  const port = spec.port ?? (await freeUdpPort(ip));
  const community = spec.community ?? `lab-${randomBytes(6).toString('hex')}`;
  const sysName = spec.sysName ?? spec.name;
  const dir = path.join(opts.dir, spec.name);
  const persistDir = path.join(dir, 'persist');
  mkdirSync(persistDir, { recursive: true });
  const configPath = path.join(dir, 'snmpd.conf');
  writeFileSync(configPath, snmpdConfig(ip, port, community, sysName), { mode: 0o600 });
  const logPath = path.join(dir, 'snmpd.log');
  const args = ['-f', '-Lo', '-C', '-c', configPath];
  let child: ChildProcess;

  async function launch(): Promise<void> {
    const [command, argv] = spec.netns ? ['ip', ['netns', 'exec', spec.netns, snmpd, ...args]] : [snmpd, args];
    child = spawn(command, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: persistDir },
    });
    const out: string[] = [];
    const logFile = createWriteStream(logPath, { flags: 'a' });
    child.once('exit', () => logFile.end());
    const log = (line: string) => {
      out.push(line);
      logFile.write(`${line}\n`);
    };
    createInterface({ input: child.stderr! }).on('line', log);
    let onEarlyExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`snmpd did not start within ${READY_TIMEOUT_MS} ms: ${out.slice(-3).join(' | ')}`)), READY_TIMEOUT_MS);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`snmpd could not start: ${err.message}`));
      });
      onEarlyExit = (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`snmpd exited (${code ?? signal}) before it was ready: ${out.slice(-3).join(' | ')}`));
      };
      child.once('exit', onEarlyExit);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        log(line);
        // With -Lo, snmpd prints its version once its listening socket is open.
        if (line.startsWith('NET-SNMP version')) {
          clearTimeout(timer);
          resolve();
        }
      });
    })
      .catch(async (err: Error) => {
        await stopChild(child);
        throw err;
      })
      .finally(() => {
        if (onEarlyExit) child.off('exit', onEarlyExit);
      });
  }

  await launch();
  return {
    name: spec.name,
    ip,
    port,
    community,
    sysName,
    dir,
    switchSpec: () => ({ id: spec.name, name: spec.name, address: ip, snmpPort: port, community }),
    pid: () => child.pid ?? -1,
    stop: () => stopChild(child),
    async restart() {
      await stopChild(child);
      await launch();
    },
  };
}

/** The demo plant's switch: every demo host is on 127.0.0.x, i.e. behind the loopback interface `lo` of this snmpd. */
export async function startDemoSwitch(opts: { dir: string }): Promise<LabSnmpd> {
  return startLabSnmpd({ name: 'lab-switch', sysName: 'lab-switch' }, opts);
}

/** Uplinks for the demo hosts (HostUplink input of main/core/network/switch-spec.ts): each on the switch's `lo`. */
export function demoUplinks(hostIds: readonly string[], switchId = 'lab-switch'): { hostId: string; switchId: string; port: string }[] {
  return hostIds.map((hostId) => ({ hostId, switchId, port: 'lo' }));
}
