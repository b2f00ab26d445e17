/**
 * ICMP reachability through the `ping` package (iputils-ping underneath, spawned without a shell). Its answer is read
 * only through `alive`, `time` and `packetLoss`: a `packetLoss` of "unknown" means ping itself failed (unresolvable
 * name, missing binary, no permission) — an error, not a dead host. `host` is never parsed.
 */
import ping from 'ping';

export type IcmpResult = { kind: 'alive'; rttMs: number | null } | { kind: 'dead' } | { kind: 'error'; message: string };

export interface PingAnswer {
  alive: boolean;
  time: number | 'unknown';
  packetLoss: string;
  output: string;
}

export type PingProbe = (address: string, config: { timeout: number; min_reply: number; numeric: boolean }) => Promise<PingAnswer>;

export function interpretPing(answer: PingAnswer): IcmpResult {
  if (answer.packetLoss === 'unknown') {
    const firstLine = answer.output.split('\n').find((l) => l.trim()) ?? 'no output';
    return { kind: 'error', message: `ping could not run: ${firstLine.trim().slice(0, 200)}` };
  }
  if (!answer.alive) return { kind: 'dead' };
  return { kind: 'alive', rttMs: typeof answer.time === 'number' && Number.isFinite(answer.time) ? answer.time : null };
}

// The package's typings say packetLoss is a number; at run time it is a string ("0.000" or "unknown").
export const systemPing: PingProbe = (address, config) => ping.promise.probe(address, config) as unknown as Promise<PingAnswer>;

/** One echo request with a timeout in whole seconds (iputils' resolution); never rejects. */
export async function pingOnce(address: string, timeoutMs: number, probe: PingProbe = systemPing): Promise<IcmpResult> {
  if (address.startsWith('-')) return { kind: 'error', message: `"${address}" is not an address` };
  try {
    return interpretPing(await probe(address, { timeout: Math.max(1, Math.ceil(timeoutMs / 1000)), min_reply: 1, numeric: true }));
  } catch (err) {
    return { kind: 'error', message: `ping could not run: ${(err as Error).message}` };
  }
}
