import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './wait';

export const ETCD = '/usr/bin/etcd';

export interface Etcd {
  endpoint: string;
  child: ChildProcess;
  /** SIGSTOP / SIGCONT: etcd still holds its sockets but answers nobody — "the console lost etcd". */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A real single-member etcd (Debian's etcd-server) on loopback, in a temporary data folder. */
export async function startEtcd(): Promise<Etcd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${client}`;
  const child = spawn(
    ETCD,
    [
      '--name', 'tally-test',
      '--data-dir', path.join(dir, 'data'),
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `tally-test=http://127.0.0.1:${peer}`,
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const errors: string[] = [];
  child.stderr!.on('data', (d: Buffer) => errors.push(d.toString()));
  await waitFor(`etcd at ${endpoint} (${errors.join('').slice(-300)})`, async () => {
    if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}: ${errors.join('').slice(-500)}`);
    const res = await fetch(`${endpoint}/health`).catch(() => null);
    return res?.ok ?? false;
  }, 20_000, 100);
  return {
    endpoint,
    child,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
