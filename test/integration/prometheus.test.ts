/**
 * /metrics of a real agent and a real console, checked by Debian's promtool and scraped by a real Prometheus on
 * loopback with bearer tokens. Skips (and says why) where the prometheus package is not installed.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Lab, startLab } from '../../agents/lab/lab';
import { createConsole, type TallyConsole } from '../../main/core/console';
import { dispatch } from '../../main/core/dispatch';
import { createConfStore } from '../../main/core/store/conf-store';
import { type RunningHttpTransport, startHttpTransport } from '../../main/server/http-transport';
import { labOptions } from '../helpers/agents';
import { waitFor } from '../helpers/wait';

const PROMTOOL = '/usr/bin/promtool';
const PROMETHEUS = '/usr/bin/prometheus';
const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';
const METRICS_TOKEN = 'metrics-only-token-0123456789';
const missing = [PROMTOOL, PROMETHEUS].filter((f) => !existsSync(f));
const skip = missing.length ? `${missing.join(' and ')} missing: install Debian's prometheus package (npm run bootstrap)` : false;
if (skip) process.stdout.write(`# skipping the Prometheus test: ${skip}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `promtool check metrics` reads the exposition on stdin and prints one line per problem. */
function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(PROMTOOL, ['check', 'metrics'], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
    child.stdin!.end(text);
  });
}

async function scrape(url: string, token: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('Prometheus /metrics', { skip }, () => {
  const opts = labOptions('prom');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tally-prom-'));
  let lab: Lab;
  let engine: TallyConsole;
  let server: RunningHttpTransport;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';

  before(async () => {
    lab = await startLab([{ name: 'prom-1', ip: '127.0.0.2', roles: ['system'], extra: { metricsToken: METRICS_TOKEN } }], opts);
    engine = createConsole({ store: createConfStore(path.join(dataDir, 'store')), dataDir });
    engine.start();
    server = await startHttpTransport(engine, { host: '127.0.0.1', port: 0, viewerToken: VIEWER, operatorToken: OPERATOR, staticDir: null });
    const agent = lab.agents[0]!;
    const added = await dispatch(engine.handlers, 'command', 'host.add', { name: 'prom-1', address: agent.address, token: agent.token }, { access: 'operator', operator: 'test', transport: 'http' }, (name, err) => assert.fail(`${name}: ${err.message}`));
    assert.ok(added.ok, JSON.stringify(added));
    await waitFor('the console to see prom-1 healthy', () => engine.fleet.views().some((h) => h.health === 'ok'), 15_000);
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    await server?.close();
    await engine?.stop();
    await lab?.stop();
    opts.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a scrape without the right token', async () => {
    assert.equal((await scrape(`http://${lab.agents[0]!.address}/metrics`, 'wrong-token-wrong-token')).status, 401);
    assert.equal((await scrape(`${server.origin}/metrics`, 'wrong-token-wrong-token')).status, 401);
  });

  it("opens the agent's /metrics, and nothing else, to its read-only metrics token", async () => {
    const agent = lab.agents[0]!;
    assert.equal((await scrape(`http://${agent.address}/metrics`, METRICS_TOKEN)).status, 200);
    assert.equal((await scrape(`http://${agent.address}/v1/info`, METRICS_TOKEN)).status, 401);
  });

  it("passes promtool's format and lint checks, agent and console", async () => {
    const agent = await scrape(`http://${lab.agents[0]!.address}/metrics`, lab.agents[0]!.token);
    assert.equal(agent.status, 200);
    assert.match(agent.type ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(agent.text, /^tally_system_memory_total_bytes \d+/m);
    const console = await scrape(`${server.origin}/metrics`, VIEWER);
    assert.equal(console.status, 200, `${console.text} ${engine.journal.recent(5).map((e) => e.message).join('; ')}`);
    assert.match(console.text, /^tally_host_health\{host_id="[^"]+",host="prom-1",role="[^"]+",state="ok"\} 1$/m);
    for (const [who, text] of [['agent', agent.text], ['console', console.text]] as const) {
      const checked = await promtoolCheck(text);
      assert.equal(checked.code, 0, `promtool on the ${who}'s metrics: ${checked.output}\n${text}`);
      assert.equal(checked.output, '', `promtool lint on the ${who}'s metrics: ${checked.output}`);
    }
  });

  it('is scraped by a real Prometheus with bearer tokens', { timeout: 60_000 }, async () => {
    const agent = lab.agents[0]!;
    const port = await freePort();
    const tsdb = path.join(dataDir, 'tsdb');
    const configFile = path.join(dataDir, 'prometheus.yml');
    const consoleTarget = server.origin.replace(/^http:\/\//, '');
    writeFileSync(
      configFile,
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        `  - job_name: tally-agent`,
        `    authorization: { type: Bearer, credentials: "${METRICS_TOKEN}" }`,
        `    static_configs: [{ targets: ["${agent.address}"] }]`,
        `  - job_name: tally-console`,
        `    authorization: { type: Bearer, credentials: "${VIEWER}" }`,
        `    static_configs: [{ targets: ["${consoleTarget}"] }]`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(PROMETHEUS, [`--config.file=${configFile}`, `--storage.tsdb.path=${tsdb}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    prometheus.stderr!.on('data', (d: Buffer) => (prometheusLog = (prometheusLog + d.toString()).slice(-4000)));
    const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      assert.equal(body.status, 'success');
      return body.data.result;
    };
    try {
      await waitFor('up == 1 for the agent and the console', async () => {
        const up = await query('up == 1');
        return up.some((r) => r.metric.job === 'tally-agent') && up.some((r) => r.metric.job === 'tally-console');
      }, 30_000, 250);
      const memory = await waitFor('tally_system_memory_total_bytes in Prometheus', async () => (await query('tally_system_memory_total_bytes'))[0], 10_000, 250);
      assert.ok(Number(memory.value[1]) > 0);
      const hosts = await waitFor('tally_host_health{state="ok"} in Prometheus', async () => (await query('tally_host_health{state="ok",host="prom-1"}'))[0], 10_000, 250);
      assert.equal(hosts.value[1], '1');
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus log:\n${prometheusLog}`, { cause: err });
    }
  });
});
