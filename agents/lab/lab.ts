/**
 * The lab: real tally-agent processes on 127.0.0.x, each with its own config file and token. Used by the demo plant
 * (`npm start`), the integration tests and the benchmarks. Imports nothing from main/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AgentConfigInput, RoleName } from '../protocol';

export interface LabAgentSpec {
  name: string;
  ip: string;
  /** 0 lets the agent pick a free port. */
  port?: number;
  roles?: RoleName[];
  heartbeatMs?: number;
  token?: string;
  /** Extra fields merged into the agent's config file (role settings). */
  extra?: Record<string, unknown>;
  /** A command the agent runs under, e.g. ['ip', 'netns', 'exec', 'ns1'] for a host in a network namespace. */
  wrap?: string[];
}

export interface LabAgent {
  readonly name: string;
  readonly address: string;
  readonly token: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly dir: string;
  process: ChildProcess;
  pid(): number;
  /** SIGSTOP / SIGCONT the agent process (a silent failure as the console sees it). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
  /** Starts the agent again with the same config (same address and token). */
  restart(): Promise<void>;
}

export interface LabOptions {
  dir: string;
  /** The agent to run: defaults to the built single-file agent. */
  agentEntry?: string;
  /** Extra node arguments (e.g. ['--import', 'tsx'] to run the agent from source). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const BUILT_AGENT = path.resolve(here, '../../dist/agent/tally-agent.cjs');
const READY_TIMEOUT_MS = 15_000;

export async function startLabAgent(spec: LabAgentSpec, opts: LabOptions): Promise<LabAgent> {
  const dir = path.join(opts.dir, spec.name);
  mkdirSync(dir, { recursive: true });
  const token = spec.token ?? randomBytes(18).toString('base64url');
  const configPath = path.join(dir, 'agent.json');
  const logPath = path.join(dir, 'agent.log');
  const config: AgentConfigInput & Record<string, unknown> = {
    agentId: spec.name,
    listen: { host: spec.ip, port: spec.port ?? 0 },
    token,
    roles: spec.roles ?? ['system'],
    heartbeatMs: spec.heartbeatMs ?? 500,
    ...spec.extra,
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

  const entry = opts.agentEntry ?? BUILT_AGENT;
  let port = spec.port ?? 0;
  let child: ChildProcess;

  async function launch(): Promise<void> {
    const argv = [...(spec.wrap ?? []), process.execPath, ...(opts.nodeArgs ?? []), entry, '--config', configPath];
    child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    const log = createWriteStream(logPath, { flags: 'a' });
    const lines = createInterface({ input: child.stderr! });
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${spec.name} did not start within ${READY_TIMEOUT_MS} ms (see ${logPath})`)), READY_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`agent ${spec.name} exited with code ${code} before listening (see ${logPath})`));
      });
      lines.on('line', (line) => {
        log.write(`${line}\n`);
        try {
          const record = JSON.parse(line) as { message?: string; port?: number };
          if (record.message === 'agent listening' && typeof record.port === 'number') {
            clearTimeout(timer);
            resolve(record.port);
          }
        } catch {
          // plain text lines (crash traces) are kept in the log only
        }
      });
    });
    child.removeAllListeners('exit');
  }

  await launch();
  const agent: LabAgent = {
    name: spec.name,
    get address() {
      return `${spec.ip}:${port}`;
    },
    token,
    configPath,
    logPath,
    dir,
    get process() {
      return child;
    },
    pid: () => child.pid ?? -1,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
    async restart() {
      await agent.stop();
      // Keep the same port so the console's inventory stays right.
      const fixed = { ...config, listen: { host: spec.ip, port } };
      writeFileSync(configPath, `${JSON.stringify(fixed, null, 2)}\n`, { mode: 0o600 });
      await launch();
    },
  };
  return agent;
}

export interface Lab {
  readonly agents: LabAgent[];
  stop(): Promise<void>;
}

export async function startLab(specs: LabAgentSpec[], opts: LabOptions): Promise<Lab> {
  const agents: LabAgent[] = [];
  try {
    for (const spec of specs) agents.push(await startLabAgent(spec, opts));
  } catch (err) {
    await Promise.all(agents.map((a) => a.stop()));
    throw err;
  }
  return {
    agents,
    stop: async () => {
      await Promise.all(agents.map((a) => a.stop()));
    },
  };
}
