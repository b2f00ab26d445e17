/**
 * Lab origins: real nginx processes with libnginx-mod-rtmp on loopback, each with its own config and prefix folder
 * (`daemon off; master_process off;`, rtmp on one port, /stat on another), plus a real ffmpeg test publisher.
 * Used by the integration tests and the demo plant. Imports nothing from main/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { OriginAgentConfigInput } from '../protocol';

const MODULE_CANDIDATES = ['/usr/lib/nginx/modules/ngx_rtmp_module.so', '/usr/share/nginx/modules/ngx_rtmp_module.so'];
const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3000;

export function findRtmpModule(): string | null {
  return MODULE_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export function findNginx(): string | null {
  return NGINX_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Why nginx-rtmp cannot run here, or null when it can. */
export function nginxRtmpMissing(): string | null {
  if (!findNginx()) return `nginx is not installed (looked for ${NGINX_CANDIDATES.join(', ')})`;
  if (!findRtmpModule()) return `libnginx-mod-rtmp is not installed (looked for ${MODULE_CANDIDATES.join(', ')})`;
  return null;
}

/** A TCP port free on `ip` right now (another process may still take it before it is used). */
export function freeTcpPort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NginxRtmpSpec {
  name: string;
  ip?: string;
  rtmpPort?: number;
  httpPort?: number;
  /** RTMP applications with `live on` (default: live). */
  apps?: string[];
}

export interface NginxRtmpOrigin {
  readonly name: string;
  readonly ip: string;
  readonly rtmpPort: number;
  readonly httpPort: number;
  /** Base of the HTTP API: what the origin agent's `apiUrl` is set to. */
  readonly apiUrl: string;
  readonly dir: string;
  readonly errorLogPath: string;
  rtmpUrl(app: string, stream: string): string;
  /** The agent config section that reads this origin. */
  agentConfig(pollMs?: number): { origin: OriginAgentConfigInput };
  pid(): number;
  stop(): Promise<void>;
}

function nginxConfig(dir: string, ip: string, rtmpPort: number, httpPort: number, apps: string[], modulePath: string): string {
  const temp = (what: string) => path.join(dir, 'temp', what);
  return `load_module ${modulePath};
daemon off;
master_process off;
worker_processes 1;
error_log ${path.join(dir, 'error.log')} info;
pid ${path.join(dir, 'nginx.pid')};
events { worker_connections 256; }
rtmp {
  server {
    listen ${ip}:${rtmpPort};
    chunk_size 4096;
${apps.map((app) => `    application ${app} { live on; record off; }`).join('\n')}
  }
}
http {
  access_log off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen ${ip}:${httpPort};
    location = /stat { rtmp_stat all; }
    location / { return 404; }
  }
}
`;
}

async function waitForStat(url: string, child: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}) before serving /stat: ${tail(errorLog)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not serve ${url} within ${READY_TIMEOUT_MS} ms (${lastError}): ${tail(errorLog)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch (err) {
    return `(no error log: ${(err as Error).message})`;
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Starts one nginx-rtmp origin and resolves once its /stat answers. */
export async function startNginxRtmp(spec: NginxRtmpSpec, opts: { dir: string }): Promise<NginxRtmpOrigin> {
  const missing = nginxRtmpMissing();
  if (missing) throw new Error(missing);
  const ip = spec.ip ?? '127.0.0.1';
  const dir = path.join(opts.dir, spec.name);
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, 'temp', sub), { recursive: true });
  const rtmpPort = spec.rtmpPort ?? (await freeTcpPort(ip));
  const httpPort = spec.httpPort ?? (await freeTcpPort(ip));
  const configPath = path.join(dir, 'nginx.conf');
  const errorLogPath = path.join(dir, 'error.log');
  writeFileSync(configPath, nginxConfig(dir, ip, rtmpPort, httpPort, spec.apps ?? ['live'], findRtmpModule()!));
  const child = spawn(findNginx()!, ['-p', `${dir}/`, '-c', configPath, '-e', errorLogPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const apiUrl = `http://${ip}:${httpPort}`;
  try {
    await waitForStat(`${apiUrl}/stat`, child, errorLogPath);
  } catch (err) {
    await stopChild(child, 'SIGKILL');
    throw new Error(`${(err as Error).message}${stderr.length ? ` (stderr: ${stderr.join('').trim().slice(0, 500)})` : ''}`, { cause: err });
  }
  return {
    name: spec.name,
    ip,
    rtmpPort,
    httpPort,
    apiUrl,
    dir,
    errorLogPath,
    rtmpUrl: (app, stream) => `rtmp://${ip}:${rtmpPort}/${app}/${stream}`,
    agentConfig: (pollMs = 1000) => ({ origin: { server: 'nginx-rtmp', apiUrl, pollMs } }),
    pid: () => child.pid ?? -1,
    stop: () => stopChild(child),
  };
}

export interface OriginsLab {
  readonly origins: NginxRtmpOrigin[];
  stop(): Promise<void>;
}

/** The demo plant's origins: two nginx-rtmp servers on loopback, so every stream can sit on two (minOrigins = 2). */
export const DEMO_ORIGINS: NginxRtmpSpec[] = [
  { name: 'nginx-origin-1', ip: '127.0.0.5' },
  { name: 'nginx-origin-2', ip: '127.0.0.8' },
];

export async function startOriginsLab(opts: { dir: string }, specs: NginxRtmpSpec[] = DEMO_ORIGINS): Promise<OriginsLab> {
  const origins: NginxRtmpOrigin[] = [];
  try {
    for (const spec of specs) origins.push(await startNginxRtmp(spec, opts));
  } catch (err) {
    await Promise.all(origins.map((o) => o.stop()));
    throw err;
  }
  return { origins, stop: async () => void (await Promise.all(origins.map((o) => o.stop()))) };
}

export interface TestPublisher {
  readonly url: string;
  readonly process: ChildProcess;
  /** ffmpeg's last words, for failure messages. */
  stderrTail(): string;
  stop(): Promise<void>;
}

/**
 * A real ffmpeg pushing a lavfi test pattern and tone to an RTMP URL in real time (320x180 H.264 + AAC by default,
 * ~3–4 % of a core). Not a mock: the bytes nginx counts are real.
 */
export function startTestPublisher(url: string, opts: { size?: string; fps?: number; videoKbps?: number } = {}): TestPublisher {
  const size = opts.size ?? '320x180';
  const fps = opts.fps ?? 25;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', String(fps * 2),
    '-b:v', `${opts.videoKbps ?? 300}k`, '-c:a', 'aac', '-b:a', '64k',
    '-f', 'flv', url,
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 20));
  });
  child.on('error', (err) => lines.push(`ffmpeg could not start: ${err.message}`));
  return { url, process: child, stderrTail: () => lines.join(' | '), stop: () => stopChild(child) };
}
