/**
 * Many simulated agents in one process, each on its own loopback address (127.0.0.0/8 is all loopback on Linux, so
 * agent k listens on base+k, skipping .0 and .255) and the same port, as hosts of a plant would. Names, addresses and
 * tokens are a pure function of the options, so a coordinator and its workers agree on them without talking.
 */
import { createHash } from 'node:crypto';
import { type SimAgent, startSimAgent } from './sim-agent';

export interface SimFleetOptions {
  /** Index of the first agent of this process in the whole simulated fleet. */
  first: number;
  count: number;
  channels: number;
  heartbeatMs: number;
  /** The first agent's address, e.g. 127.77.0.1. */
  baseIp: string;
  /** Every agent's port (0: each picks a free one). */
  port: number;
  /** Host names are NAME-0001, … */
  name: string;
  /** Tokens derive from this; keep it secret like any agent token. */
  tokenSeed: string;
}

export interface SimHost {
  name: string;
  address: string;
  token: string;
}

export function simIp(baseIp: string, k: number): string {
  const parts = baseIp.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255) || parts[0] !== 127) {
    throw new Error(`--ip must be a loopback address like 127.77.0.1, not ${baseIp}`);
  }
  const [a, b, c, d] = parts as [number, number, number, number];
  const last = Math.max(1, Math.min(254, d)) - 1 + k;
  const thirdAndUp = b * 256 + c + Math.floor(last / 254);
  if (thirdAndUp > 255 * 256 + 255) throw new Error(`agent ${k} would fall outside ${a}.0.0.0/8`);
  return `${a}.${Math.floor(thirdAndUp / 256)}.${thirdAndUp % 256}.${(last % 254) + 1}`;
}

export function simHostName(name: string, k: number): string {
  return `${name}-${String(k + 1).padStart(4, '0')}`;
}

export function simToken(tokenSeed: string, name: string): string {
  return createHash('sha256').update(`${tokenSeed}\u0000${name}`).digest('base64url').slice(0, 32);
}

export async function startSimFleet(opts: SimFleetOptions): Promise<{ agents: SimAgent[]; stop(): Promise<void> }> {
  const agents: SimAgent[] = [];
  try {
    for (let k = opts.first; k < opts.first + opts.count; k++) {
      const agentId = simHostName(opts.name, k);
      agents.push(
        await startSimAgent({
          agentId,
          host: simIp(opts.baseIp, k),
          port: opts.port,
          token: simToken(opts.tokenSeed, agentId),
          channels: opts.channels,
          heartbeatMs: opts.heartbeatMs,
          seed: k + 1,
        }),
      );
    }
  } catch (err) {
    await Promise.all(agents.map((a) => a.stop()));
    throw err;
  }
  return { agents, stop: async () => void (await Promise.all(agents.map((a) => a.stop()))) };
}
