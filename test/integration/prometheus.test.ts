/**
 * /metrics of a real agent and a real console, checked by Debian's promtool and scraped by a real Prometheus on
 * loopback with bearer tokens. Skips (and says why) where the prometheus package is not installed.
 * The console watches a small demo-like plant so its switch, origin, archive and storage figures have something to
 * say: a real snmpd as the switch (prom-1 cabled to its `lo`), a real nginx-rtmp origin fed by ffmpeg carrying one
 * stream (below the default minOrigins of 2), two archive agents holding one stream, two storage agents in one group.
 * A part whose program is missing is left out with a note; the rest still runs.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { archiveHostConfig, seedStorageContent } from '../../agents/lab/archive-lab';
import { type Lab, type LabAgentSpec, startLab } from '../../agents/lab/lab';
import { type NginxRtmpOrigin, nginxRtmpMissing, startNginxRtmp, startTestPublisher, type TestPublisher } from '../../agents/lab/origins-lab';
import { findSnmpd, type LabSnmpd, startLabSnmpd } from '../../agents/lab/switch-lab';
import type { CallContext, HostKind } from '../../main/core/api';
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

function ffmpegMissing(): string | null {
  const ffmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  return ffmpeg.error || ffmpeg.status !== 0 ? `ffmpeg cannot run (${ffmpeg.error?.message ?? `exit ${ffmpeg.status}`})` : null;
}
/** Why each optional part of the plant is left out (null: it runs). */
const partMissing = {
  switch: findSnmpd() ? null : 'snmpd is not installed (apt package snmpd)',
  origin: nginxRtmpMissing() ?? ffmpegMissing(),
  archive: ffmpegMissing(),
};
if (!skip) for (const [part, why] of Object.entries(partMissing)) if (why) process.stdout.write(`# Prometheus test: the ${part} is left out: ${why}\n`);
const OPERATOR_CALL: CallContext = { access: 'operator', operator: 'test', transport: 'http' };
const STREAM = 'prom-1ch';

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

  let snmpd: LabSnmpd | undefined;
  let origin: NginxRtmpOrigin | undefined;
  let publisher: TestPublisher | undefined;

  before(async () => {
    const specs: (LabAgentSpec & { kind?: HostKind; group?: string })[] = [{ name: 'prom-1', ip: '127.0.0.2', roles: ['system'], extra: { metricsToken: METRICS_TOKEN } }];
    if (!partMissing.origin) {
      origin = await startNginxRtmp({ name: 'prom-origin', ip: '127.0.72.10' }, { dir: opts.dir });
      publisher = startTestPublisher(origin.rtmpUrl('live', 'prom'), { fps: 10, videoKbps: 150 });
      specs.push({ name: 'prom-origin', ip: '127.0.72.10', roles: ['system', 'origin'], extra: origin.agentConfig(500), kind: 'origin', group: 'origins' });
    }
    if (!partMissing.archive) {
      // Two members holding one stream, neither recording: a replica set without an encoder running.
      for (const [i, name] of ['prom-arc-a', 'prom-arc-b'].entries()) {
        const config = archiveHostConfig({ root: path.join(opts.dir, `${name}-dvr`), channel: STREAM, inputPort: 24_190 + i, record: false, scanIntervalMs: 1000 });
        specs.push({ name, ip: `127.0.72.${2 + i}`, ...config, kind: 'archive', group: 'archive' });
      }
    }
    for (const [i, name] of ['prom-store-1', 'prom-store-2'].entries()) {
      const contentRoot = path.join(opts.dir, `${name}-content`);
      seedStorageContent(contentRoot);
      specs.push({ name, ip: `127.0.72.${4 + i}`, roles: ['system', 'storage'], extra: { storage: { group: 'prom-media', contentRoot, digestIntervalMs: 1000 } }, kind: 'storage', group: 'prom-media' });
    }
    lab = await startLab(specs, opts);
    engine = createConsole({ store: createConfStore(path.join(dataDir, 'store')), dataDir });
    engine.start();
    server = await startHttpTransport(engine, { host: '127.0.0.1', port: 0, viewerToken: VIEWER, operatorToken: OPERATOR, staticDir: null });
    const ids: Record<string, string> = {};
    for (const [i, agent] of lab.agents.entries()) {
      const { kind, group } = specs[i]!;
      const input = { name: agent.name, address: agent.address, token: agent.token, ...(kind ? { kind, role: 'main', group } : {}) };
      const added = await dispatch(engine.handlers, 'command', 'host.add', input, OPERATOR_CALL, (name, err) => assert.fail(`${name}: ${err.message}`));
      assert.ok(added.ok, JSON.stringify(added));
      ids[agent.name] = (added.value as { id: string }).id;
    }
    if (!partMissing.switch) {
      snmpd = await startLabSnmpd({ name: 'prom-switch', sysName: 'prom-switch' }, { dir: opts.dir });
      const sw = await engine.handlers.commands['switch.add']({ ...snmpd.switchSpec(), pollMs: 1000, timeoutMs: 1000, retries: 0, icmp: false }, OPERATOR_CALL);
      await engine.handlers.commands['host.uplinks.set']({ hostId: ids['prom-1']!, uplinks: [{ switchId: sw.id, port: 'lo' }] }, OPERATOR_CALL);
    }
    await waitFor('the console to see every host healthy', () => engine.fleet.views().every((h) => h.health === 'ok'), 20_000);
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
    await publisher?.stop();
    await origin?.stop();
    await snmpd?.stop();
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

  it("shows the console's own figures: the switch and its ports, the origin map, archive sets, the storage group", { timeout: 60_000 }, async () => {
    const want: [string, RegExp][] = [
      ['the storage group', /^tally_storage_group_healthy_members\{group="prom-media"\} 2$/m],
      ['the storage group identity', /^tally_storage_group_identity\{group="prom-media",state="identical"\} 1$/m],
      ['findings by source', /^tally_findings\{source="network",severity="critical"\} \d+$/m],
    ];
    if (!partMissing.switch) {
      want.push(
        ['the switch answering SNMP', /^tally_switch_up\{switch_id="[^"]+",switch="prom-switch"\} 1$/m],
        ["the switch's sysUpTime", /^tally_switch_uptime_seconds\{switch_id="[^"]+",switch="prom-switch"\} \d+(\.\d+)?$/m],
        ['its lo port up', /^tally_switch_port_oper_up\{switch_id="[^"]+",switch="prom-switch",if_index="\d+",port="lo"\} 1$/m],
        ['a rate on its lo port', /^tally_switch_port_in_bytes_per_second\{switch_id="[^"]+",switch="prom-switch",if_index="\d+",port="lo"\} \d/m],
        ["prom-1's uplink up", /^tally_host_uplink_state\{host_id="[^"]+",host="prom-1",switch_id="[^"]+",switch="prom-switch",port="lo",state="up"\} 1$/m],
        ['prom-1 reachable', /^tally_host_network_reachability\{host_id="[^"]+",host="prom-1",state="reachable"\} 1$/m],
      );
    }
    if (!partMissing.origin) {
      want.push(
        ['the origin ok', /^tally_origins\{state="ok"\} 1$/m],
        ['live/prom live on one origin', /^tally_stream_live_origins\{app="live",stream="prom"\} 1$/m],
        ['live/prom below its minimum of 2', /^tally_stream_below_min_origins\{app="live",stream="prom"\} 1$/m],
        ['live/prom dark if the origin dies', /^tally_origin_loss_dark_streams\{host_id="[^"]+",host="prom-origin"\} 1$/m],
      );
    }
    if (!partMissing.archive) {
      want.push(
        ['the archive set of two', /^tally_archive_set_members\{stream="prom-1ch"\} 2$/m],
        ['both archive members healthy', /^tally_archive_set_healthy_members\{stream="prom-1ch"\} 2$/m],
        ['no resync running', /^tally_archive_set_resync_jobs\{stream="prom-1ch",state="running"\} 0$/m],
      );
    }
    let last = '';
    await waitFor(
      `the console's /metrics to show ${want.map(([what]) => what).join(', ')}`,
      async () => {
        const scraped = await scrape(`${server.origin}/metrics`, VIEWER);
        last = scraped.text;
        return scraped.status === 200 && want.every(([, re]) => re.test(scraped.text));
      },
      30_000,
      500,
    ).catch((err: Error) => {
      const absent = want.filter(([, re]) => !re.test(last)).map(([what]) => what);
      throw new Error(`${err.message}\nstill absent: ${absent.join(', ')}\n${last}`, { cause: err });
    });
    const checked = await promtoolCheck(last);
    assert.equal(checked.code, 0, `promtool on the console's metrics: ${checked.output}\n${last}`);
    assert.equal(checked.output, '', `promtool lint on the console's metrics: ${checked.output}`);
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
      const storage = await waitFor('tally_storage_group_healthy_members in Prometheus', async () => (await query('tally_storage_group_healthy_members{group="prom-media"}'))[0], 10_000, 250);
      assert.equal(storage.value[1], '2');
      if (!partMissing.switch) {
        const sw = await waitFor('tally_switch_up in Prometheus', async () => (await query('tally_switch_up{switch="prom-switch"}'))[0], 10_000, 250);
        assert.equal(sw.value[1], '1');
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus log:\n${prometheusLog}`, { cause: err });
    }
  });
});
