/**
 * `tally` — the console's command line.
 *   tally serve [--host 127.0.0.1] [--port 7400] [--data DIR] [--demo]   headless console for browsers and wall displays
 *               [--etcd URL[,URL…]] [--name NAME] [--lease-ttl S]       one of several consoles, led through etcd
 *   tally start [--port 7400]                                           the desktop app on the demo plant, or serve
 *                                                                        it for a browser where Electron is missing
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type DemoExtras, startDemoExtras } from '../../agents/lab/demo-extras';
import { DEMO_PLANT, type DemoPlant, startDemoPlant } from '../../agents/lab/demo-plant';
import { type ClusterSettings } from '../core/cluster/cluster-module';
import { clusterSettingsFrom } from '../core/cluster/cluster-settings';
import { createConsole } from '../core/console';
import { createConfStore } from '../core/store/conf-store';
import { syncInventoryWithPlant } from './demo';
import { syncDemoNetwork } from './demo-network';
import { startHttpTransport } from './http-transport';

const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

interface ServeArgs {
  host: string;
  port: number;
  dataDir: string;
  demo: boolean;
  uiDir: string;
  cluster: ClusterSettings | null;
}

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}

function parseArgs(argv: string[]): { command: string; flags: Map<string, string | true> } {
  const [command = 'help', ...rest] = argv;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(arg.slice(2), next);
      i++;
    } else flags.set(arg.slice(2), true);
  }
  return { command, flags };
}

function defaultDataDir(demo: boolean): string {
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, demo ? 'tally-demo' : 'tally');
}

function serveArgs(flags: Map<string, string | true>, forceDemo: boolean): ServeArgs {
  const str = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const demo = forceDemo || flags.get('demo') === true;
  const port = Number(str('port') ?? process.env.TALLY_PORT ?? 7400);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${str('port')}`);
  return {
    host: str('host') ?? '127.0.0.1',
    port,
    dataDir: path.resolve(str('data') ?? process.env.TALLY_DATA_DIR ?? defaultDataDir(demo)),
    demo,
    uiDir: path.resolve(str('ui') ?? path.join(packageRoot, 'out', 'renderer')),
    cluster: clusterSettingsFrom({ etcd: str('etcd'), name: str('name'), leaseTtl: str('lease-ttl'), prefix: str('etcd-prefix') }, process.env, os.hostname()),
  };
}

const AccessTokens = z.object({ viewerToken: z.string().min(16), operatorToken: z.string().min(16) });

/** The console's own viewer and operator tokens: from the environment, else made once and kept in the data folder. */
function accessTokens(dataDir: string): z.infer<typeof AccessTokens> {
  const file = path.join(dataDir, 'access.json');
  if (existsSync(file)) {
    const parsed = AccessTokens.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is damaged; fix it or delete it to make new tokens`);
    return {
      viewerToken: process.env.TALLY_VIEWER_TOKEN ?? parsed.data.viewerToken,
      operatorToken: process.env.TALLY_OPERATOR_TOKEN ?? parsed.data.operatorToken,
    };
  }
  const tokens = {
    viewerToken: process.env.TALLY_VIEWER_TOKEN ?? randomBytes(18).toString('base64url'),
    operatorToken: process.env.TALLY_OPERATOR_TOKEN ?? randomBytes(18).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  return tokens;
}

async function serve(args: ServeArgs): Promise<void> {
  mkdirSync(args.dataDir, { recursive: true });
  let plant: DemoPlant | null = null;
  let extras: DemoExtras | null = null;
  if (args.demo) {
    const agentEntry = path.join(packageRoot, 'dist', 'agent', 'tally-agent.cjs');
    if (!existsSync(agentEntry)) throw new Error(`the agent is not built (${agentEntry}); run npm run build`);
    extras = await startDemoExtras(path.join(args.dataDir, 'plant'), (line) => process.stderr.write(`${JSON.stringify({ level: 'info', message: line })}\n`));
    plant = await startDemoPlant({ dir: path.join(args.dataDir, 'plant'), agentEntry }, extras.plantHosts(DEMO_PLANT)).catch(async (err: Error) => {
      await extras?.stop();
      throw err;
    });
  }
  const engine = createConsole({
    store: createConfStore(args.dataDir),
    dataDir: args.dataDir,
    cluster: args.cluster,
    log: (level, message, fields) => process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`),
  });
  if (plant) await syncInventoryWithPlant(engine, plant);
  if (plant && extras) await syncDemoNetwork(engine, plant, extras);
  engine.start();
  const tokens = accessTokens(args.dataDir);
  const transport = await startHttpTransport(engine, {
    host: args.host,
    port: args.port,
    viewerToken: tokens.viewerToken,
    operatorToken: tokens.operatorToken,
    staticDir: existsSync(args.uiDir) ? args.uiDir : null,
  });
  const origin = transport.origin;
  process.stdout.write(
    [
      `Tally console serving at ${origin}/ (data in ${args.dataDir}${plant ? `, demo plant of ${plant.hosts.length} agents` : ''})`,
      ...(args.cluster ? [`  one of several consoles: "${args.cluster.name}", campaigning through etcd at ${args.cluster.etcdEndpoints.join(', ')}`] : []),
      `  desk (operator): ${origin}/?token=${tokens.operatorToken}`,
      `  wall (viewer):   ${origin}/wall?token=${tokens.viewerToken}`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await transport.close();
    await engine.stop();
    await plant?.lab.stop();
    await extras?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** The Electron binary, if this machine has it — read from the package's path.txt, since loading the package would start a download. */
function electronBinary(): string | null {
  const dir = path.join(packageRoot, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function hasDisplay(): boolean {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

async function start(flags: Map<string, string | true>): Promise<void> {
  const binary = electronBinary();
  const appMain = path.join(packageRoot, 'out', 'main', 'index.js');
  if (binary && hasDisplay() && existsSync(appMain)) {
    const child = spawn(binary, [packageRoot, '--demo'], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  const why = !binary ? 'the Electron binary is not installed here' : !hasDisplay() ? 'there is no display' : 'the desktop app is not built';
  process.stdout.write(`Desktop app unavailable (${why}); serving the same console for a browser instead.\n`);
  await serve(serveArgs(flags, true));
}

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  if (command === 'serve') return serve(serveArgs(flags, false));
  if (command === 'start') return start(flags);
  process.stdout.write(
    'usage:\n  tally serve [--host 127.0.0.1] [--port 7400] [--data DIR] [--demo] [--etcd URL[,URL…]] [--name NAME] [--lease-ttl S] [--etcd-prefix /tally]\n  tally start [--port 7400]\n',
  );
  if (command !== 'help' && command !== '--help') process.exit(2);
}

main().catch((err: Error) => {
  process.stderr.write(`tally: ${err.message}\n`);
  process.exit(1);
});
