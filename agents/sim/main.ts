#!/usr/bin/env node
/**
 * tally-sim — many simulated agents speaking the real protocol, spread over a few worker processes.
 *
 *   tsx agents/sim/main.ts --agents 1000 [--workers 4] [--channels 20] [--heartbeat-ms 500]
 *                          [--ip 127.77.0.1] [--port 7411] [--name sim] [--token-seed S] [--manifest FILE]
 *
 * Agent k listens on (ip + k):port. When every worker is listening the coordinator writes the manifest (JSON: each
 * host's name, address, token, and the pid of the worker that runs it) and prints one line:
 *   SIM READY agents=1000 workers=4 manifest=FILE
 * SIGTERM/SIGINT stop everything. A worker that dies (or is SIGSTOPped) takes its agents with it — its hosts go
 * silent to the console like real hosts would; the others carry on. Workers exit with their coordinator.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { simHostName, simIp, simToken, startSimFleet } from './sim-fleet';

interface Args {
  agents: number;
  workers: number;
  channels: number;
  heartbeatMs: number;
  ip: string;
  port: number;
  name: string;
  tokenSeed: string;
  manifest: string | null;
  /** Internal: this process is worker N of the coordinator, running agents [first, first+count). */
  worker: { index: number; first: number; count: number } | null;
}

export interface SimManifest {
  agents: number;
  channels: number;
  heartbeatMs: number;
  workers: { index: number; pid: number; first: number; count: number }[];
  hosts: { name: string; address: string; token: string; worker: number; pid: number }[];
}

function fail(message: string): never {
  process.stderr.write(`tally-sim: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) fail(`expected --flag value pairs, got "${argv.slice(i).join(' ')}"`);
    flags.set(key.slice(2), value);
  }
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = flags.get(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer ${min}..${max}`);
    return n;
  };
  const agents = int('agents', 100, 1, 60_000);
  const worker = flags.has('worker-index')
    ? { index: int('worker-index', 0, 0, 1024), first: int('first', 0, 0, 60_000), count: int('count', 1, 1, 60_000) }
    : null;
  const name = flags.get('name') ?? 'sim';
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(name)) fail('--name is letters, digits, dot, dash, underscore');
  return {
    agents,
    workers: Math.min(agents, int('workers', Math.max(1, Math.ceil(agents / 250)), 1, 64)),
    channels: int('channels', 20, 0, 500),
    heartbeatMs: int('heartbeat-ms', 500, 50, 60_000),
    ip: flags.get('ip') ?? '127.77.0.1',
    port: int('port', 7411, 0, 65535),
    name,
    tokenSeed: flags.get('token-seed') ?? randomBytes(16).toString('hex'),
    manifest: flags.get('manifest') ?? null,
    worker,
  };
}

async function runWorker(args: Args, worker: NonNullable<Args['worker']>): Promise<void> {
  const fleet = await startSimFleet({
    first: worker.first,
    count: worker.count,
    channels: args.channels,
    heartbeatMs: args.heartbeatMs,
    baseIp: args.ip,
    port: args.port,
    name: args.name,
    tokenSeed: args.tokenSeed,
  });
  const addresses = fleet.agents.map((a) => a.address);
  process.stdout.write(`SIM WORKER ${JSON.stringify({ index: worker.index, pid: process.pid, addresses })}\n`);
  const stop = () => void fleet.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Workers never outlive their coordinator.
  process.on('disconnect', stop);
}

async function runCoordinator(args: Args): Promise<void> {
  const entry = fileURLToPath(import.meta.url);
  const per = Math.ceil(args.agents / args.workers);
  const children: ChildProcess[] = [];
  const manifest: SimManifest = { agents: args.agents, channels: args.channels, heartbeatMs: args.heartbeatMs, workers: [], hosts: [] };
  let stopping = false;
  const stopAll = (code: number) => {
    stopping = true;
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
    }
    setTimeout(() => process.exit(code), 3000).unref();
    Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
  };
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));

  const ready = [];
  for (let index = 0, first = 0; first < args.agents; index++, first += per) {
    const count = Math.min(per, args.agents - first);
    const child = fork(
      entry,
      ['--agents', String(args.agents), '--channels', String(args.channels), '--heartbeat-ms', String(args.heartbeatMs), '--ip', args.ip, '--port', String(args.port),
        '--name', args.name, '--token-seed', args.tokenSeed, '--worker-index', String(index), '--first', String(first), '--count', String(count)],
      { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: process.execArgv },
    );
    children.push(child);
    ready.push(
      new Promise<void>((resolve, reject) => {
        child.once('exit', (code, signal) => reject(new Error(`worker ${index} exited (${signal ?? code}) before it was ready`)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (!line.startsWith('SIM WORKER ')) return;
          const report = JSON.parse(line.slice('SIM WORKER '.length)) as { index: number; pid: number; addresses: string[] };
          manifest.workers.push({ index, pid: report.pid, first, count });
          report.addresses.forEach((address, i) => {
            const name = simHostName(args.name, first + i);
            manifest.hosts.push({ name, address, token: simToken(args.tokenSeed, name), worker: index, pid: report.pid });
          });
          child.removeAllListeners('exit');
          child.once('exit', (code, signal) => {
            if (!stopping) process.stderr.write(`tally-sim: worker ${index} (pid ${report.pid}, ${count} agents) exited (${signal ?? code}); its hosts are gone\n`);
          });
          resolve();
        });
      }),
    );
  }
  try {
    await Promise.all(ready);
  } catch (err) {
    process.stderr.write(`tally-sim: ${(err as Error).message}\n`);
    stopAll(1);
    return;
  }
  manifest.workers.sort((a, b) => a.index - b.index);
  manifest.hosts.sort((a, b) => a.name.localeCompare(b.name));
  if (args.manifest) writeFileSync(args.manifest, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  else process.stdout.write(`SIM MANIFEST ${JSON.stringify(manifest)}\n`);
  process.stdout.write(
    `SIM READY agents=${args.agents} workers=${children.length} first=${simIp(args.ip, 0)} manifest=${args.manifest ?? '(stdout)'}\n`,
  );
}

const args = parseArgs(process.argv.slice(2));
(args.worker ? runWorker(args, args.worker) : runCoordinator(args)).catch((err: Error) => fail(err.message));
