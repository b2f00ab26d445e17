/**
 * packaging/agent/install.sh in a temp root (--prefix): it creates a valid config with a fresh token, keeps an
 * existing one byte for byte, and the agent it installed starts and answers /v1/info with that token.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { BUILT_AGENT } from '../../agents/lab/lab';
import { AgentConfig, AgentInfo } from '../../agents/protocol';
import { waitFor } from '../helpers/wait';

const run = promisify(execFile);
const SCRIPT = path.resolve('packaging/agent/install.sh');
const UNIT = path.resolve('packaging/agent/tally-agent.service');
const skip = existsSync(BUILT_AGENT) ? false : `${BUILT_AGENT} is missing (npm run build makes it)`;
if (skip) process.stdout.write(`# skipping the agent install test: ${skip}\n`);

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('agent install script', { skip }, () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tally-install-'));
  const configPath = path.join(root, 'etc/tally/agent.json');
  const host = '127.0.0.9';
  let port = 0;
  let agent: ChildProcess | undefined;
  const install = (...extra: string[]) =>
    run('bash', [SCRIPT, '--prefix', root, '--agent', BUILT_AGENT, '--host', host, '--port', String(port), '--agent-id', 'install-test', ...extra], { timeout: 30_000 });

  after(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent!.once('exit', resolve));
      agent.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (agent.exitCode === null) agent.kill('SIGKILL');
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('installs the agent, the unit and a valid config with a fresh token (mode 600)', async () => {
    port = await freePort(host);
    const { stdout } = await install();
    assert.ok(statSync(path.join(root, 'opt/tally/tally-agent.cjs')).mode & 0o100, 'the agent is executable');
    const parsed = AgentConfig.safeParse(JSON.parse(readFileSync(configPath, 'utf8')));
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
    assert.equal(parsed.data.agentId, 'install-test');
    assert.deepEqual(parsed.data.listen, { host, port });
    assert.equal(statSync(configPath).mode & 0o777, 0o600);
    assert.match(stdout, new RegExp(`address +${host.replace(/\./g, '\\.')}:${port}\\b`));
    assert.ok(stdout.includes(parsed.data.token), 'the token to add in the console is printed');
    const unit = readFileSync(path.join(root, 'etc/systemd/system/tally-agent.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/\S*node \/opt\/tally\/tally-agent\.cjs --config \/etc\/tally\/agent\.json$/m);
    for (const line of ['User=tally-agent', 'Restart=always', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/tally']) {
      assert.ok(unit.split('\n').includes(line), `the unit has ${line}`);
    }
  });

  it('keeps an existing config byte for byte on a second run', async () => {
    const before = readFileSync(configPath);
    const { stdout } = await install('--agent-id', 'other-id');
    assert.ok(readFileSync(configPath).equals(before));
    assert.match(stdout, /kept the existing config/);
  });

  it('installs an agent that starts and answers /v1/info with that token', async () => {
    const { token } = AgentConfig.parse(JSON.parse(readFileSync(configPath, 'utf8')));
    agent = spawn(process.execPath, [path.join(root, 'opt/tally/tally-agent.cjs'), '--config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    agent.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    const url = `http://${host}:${port}/v1/info`;
    const info = await waitFor(`the installed agent to answer ${url}`, async () => {
      if (agent!.exitCode !== null) throw new Error(`the agent exited with ${agent!.exitCode}: ${log}`);
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      return res.status === 200 ? AgentInfo.parse(await res.json()) : undefined;
    }, 15_000, 100);
    assert.equal(info.agentId, 'install-test');
    assert.equal((await fetch(url)).status, 401, 'no token, no answer');
  });

  it('ships a unit systemd-analyze accepts', { skip: existsSync('/usr/bin/systemd-analyze') ? false : 'systemd-analyze is not installed' }, async () => {
    const { stdout, stderr } = await run('/usr/bin/systemd-analyze', ['verify', UNIT], { timeout: 20_000 });
    assert.equal(`${stdout}${stderr}`.trim(), '');
  });
});
