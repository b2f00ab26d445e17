import { execFile } from 'node:child_process';
import type { ProbeRequest, ProbeResponse } from './protocol';

const PING = '/usr/bin/ping';

/** Is an agent answering HTTP at `target`? Any answer counts — a 401 still proves the agent is alive. */
export async function probeAgentApi(target: string, timeoutMs: number): Promise<'ok' | 'fail'> {
  try {
    const res = await fetch(`http://${target}/v1/info`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return 'ok';
  } catch {
    return 'fail';
  }
}

/** One ICMP echo with iputils ping (arguments as an array; never a shell). 'unavailable' when no answer in time. */
export function probeIcmp(host: string, timeoutMs: number): Promise<'ok' | 'fail' | 'unavailable'> {
  return new Promise((resolve) => {
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const child = execFile(PING, ['-n', '-c', '1', '-W', String(seconds), host], { timeout: timeoutMs + 200 }, (err) => {
      if (!err) resolve('ok');
      else if ((err as NodeJS.ErrnoException).code === 'ENOENT') resolve('unavailable');
      else resolve((err as { killed?: boolean }).killed ? 'unavailable' : 'fail');
    });
    child.on('error', () => resolve('unavailable'));
  });
}

export function hostOf(target: string): string {
  return target.startsWith('[') ? target.slice(1, target.indexOf(']')) : target.slice(0, target.lastIndexOf(':'));
}

/** The indirect probe an agent runs for the console: API and ICMP in parallel, bounded by the request's timeout. */
export async function runProbe(request: ProbeRequest): Promise<ProbeResponse> {
  const started = Date.now();
  const unanswered = new Promise<'unavailable'>((resolve) => setTimeout(() => resolve('unavailable'), request.timeoutMs).unref());
  const [api, icmp] = await Promise.all([probeAgentApi(request.target, request.timeoutMs), Promise.race([probeIcmp(hostOf(request.target), request.timeoutMs), unanswered])]);
  return { api, icmp, tookMs: Date.now() - started };
}
