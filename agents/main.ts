#!/usr/bin/env node
/** tally-agent — the host agent. Usage: tally-agent --config /etc/tally/agent.json */
import { readFileSync } from 'node:fs';
import { jsonLogger, startAgent } from './agent';
import { AgentConfig, describeZodError } from './protocol';

function fail(message: string): never {
  process.stderr.write(`tally-agent: ${message}\n`);
  process.exit(2);
}

export function loadAgentConfig(path: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot read config ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`config ${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = AgentConfig.safeParse(json);
  if (!parsed.success) fail(`config ${path} is invalid: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--config');
  const path = at >= 0 ? args[at + 1] : process.env.TALLY_AGENT_CONFIG;
  if (!path) fail('usage: tally-agent --config FILE');
  const agent = await startAgent(loadAgentConfig(path), jsonLogger);
  const shutdown = (signal: string) => {
    jsonLogger('info', 'stopping', { signal });
    agent.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: Error) => fail(err.message));
