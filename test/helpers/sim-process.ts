/** Runs the agent simulator (agents/sim/main.ts) as a real process, as a user would, and reads its manifest. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { SimManifest } from '../../agents/sim/main';

export interface SimProcess {
  child: ChildProcess;
  manifest: SimManifest;
  stop(): Promise<void>;
}

export interface SimOptions {
  agents: number;
  workers?: number;
  channels?: number;
  ip: string;
  port?: number;
  name?: string;
  /** Where the manifest is written. */
  manifest: string;
}

export async function startSim(opts: SimOptions, timeoutMs = 120_000): Promise<SimProcess> {
  const args = ['--agents', String(opts.agents), '--ip', opts.ip, '--port', String(opts.port ?? 7411), '--manifest', opts.manifest];
  if (opts.workers !== undefined) args.push('--workers', String(opts.workers));
  if (opts.channels !== undefined) args.push('--channels', String(opts.channels));
  if (opts.name !== undefined) args.push('--name', opts.name);
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('agents/sim/main.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => {
    errors.push(l);
    if (process.env.TALLY_SIM_VERBOSE) process.stderr.write(`[sim] ${l}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator was not ready within ${timeoutMs} ms:\n${errors.slice(-20).join('\n')}`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited with ${code}:\n${errors.slice(-20).join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('SIM READY ')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  child.removeAllListeners('exit');
  const manifest = JSON.parse(readFileSync(opts.manifest, 'utf8')) as SimManifest;
  return {
    child,
    manifest,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The console's HTTP API (POST /api/query|command/NAME) with the desk's operator token. */
export function consoleApi(deskUrl: string) {
  const url = new URL(deskUrl);
  const token = url.searchParams.get('token')!;
  return {
    origin: url.origin,
    token,
    async call<T>(kind: 'query' | 'command', name: string, body: unknown): Promise<T> {
      const res = await fetch(`${url.origin}/api/${kind}/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-tally-operator': 'sim' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { value?: T; error?: string };
      if (!res.ok) throw new Error(`${name}: ${json.error}`);
      return json.value as T;
    },
    async metrics(timeoutMs = 30_000): Promise<string> {
      const res = await fetch(`${url.origin}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
      return res.text();
    },
  };
}
