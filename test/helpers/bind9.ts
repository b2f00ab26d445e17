import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './wait';

export const NAMED = '/usr/sbin/named';
export const DIG = '/usr/bin/dig';

export interface Bind9 {
  port: number;
  key: { name: string; secretBase64: string };
  zone: string;
  lookup(name: string): string[];
  stop(): Promise<void>;
}

/** A real bind9 on 127.0.0.1 with one zone that accepts TSIG-signed updates (Debian's bind9). */
export async function startBind9(zone: string, records: Record<string, string>): Promise<Bind9> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-bind9-'));
  const key = { name: 'tally-key', secretBase64: randomBytes(32).toString('base64') };
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(path.join(dir, 'key.conf'), `key "${key.name}" { algorithm hmac-sha256; secret "${key.secretBase64}"; };\n`);
  writeFileSync(
    path.join(dir, 'named.conf'),
    `options { directory "${dir}"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; }; pid-file "${dir}/named.pid"; recursion no; dnssec-validation no; };\n` +
      `include "${dir}/key.conf";\nzone "${zone}" { type master; file "${dir}/zone.db"; allow-update { key ${key.name}; }; };\n`,
  );
  writeFileSync(
    path.join(dir, 'zone.db'),
    `$TTL 30\n@ IN SOA ns.${zone}. admin.${zone}. ( 1 60 60 600 30 )\n@ IN NS ns.${zone}.\nns IN A 127.0.0.1\n` + Object.entries(records).map(([n, a]) => `${n} IN A ${a}\n`).join(''),
  );
  const args = ['-g', '-c', path.join(dir, 'named.conf')];
  if (process.getuid?.() === 0) args.push('-u', 'root');
  const child: ChildProcess = spawn(NAMED, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const lookup = (name: string) =>
    execFileSync(DIG, ['+short', '+time=1', '+tries=1', '-p', String(port), '@127.0.0.1', name, 'A'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  await waitFor(`named listening on ${port}`, () => {
    if (child.exitCode !== null) throw new Error(`named exited: ${log.slice(-500)}`);
    return log.includes('running') && lookup(`ns.${zone}`).length > 0;
  }, 10_000, 100);
  return {
    port,
    key,
    zone,
    lookup,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function bind9Missing(): string | null {
  return existsSync(NAMED) && existsSync(DIG) ? null : `bind9 (${NAMED}) or dig (${DIG}) is not installed: run scripts/bootstrap.sh`;
}
