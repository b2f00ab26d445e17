/**
 * What the integration tests and the resync benchmark do in the console's place: read digests and indexes from
 * real agents, run the console's pure diff and planner, send the pull commands, wait for the jobs.
 */
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  ArchivePullAccepted,
  HourIndex,
  type ResyncJob,
  ResyncJobList,
  StreamDigests,
} from '../../../agents/protocol/archive';
import { hoursThatDiffer } from '../../../main/core/archive/hour-diff';
import { diffHourIndexes, type HourIndexDiff } from '../../../main/core/archive/index-diff';
import { planResync, pullRequestFor, type ResyncPlan } from '../../../main/core/archive/resync-planner';

export interface Member {
  name: string;
  address: string;
  token: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * One HTTP command on a fresh connection: a pooled keep-alive socket can be closed by the agent (its 5 s idle
 * timeout) just as a POST goes out, and a POST is not retried.
 */
export function call(m: Member, method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`http://${m.address}${pathAndQuery}`, {
      method,
      agent: false,
      timeout: REQUEST_TIMEOUT_MS,
      headers: { authorization: `Bearer ${m.token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
    });
    const fail = (err: Error) => reject(new Error(`${method} ${m.name}${pathAndQuery}: ${err.message}`));
    req.once('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.once('error', fail);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', fail);
      res.once('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (err) {
          fail(err as Error);
        }
      });
    });
    req.end(payload);
  });
}

export async function get<T>(m: Member, pathAndQuery: string, schema: z.ZodType<T>): Promise<T> {
  const { status, json } = await call(m, 'GET', pathAndQuery);
  if (status !== 200) throw new Error(`${m.name} ${pathAndQuery}: ${status} ${JSON.stringify(json)}`);
  return schema.parse(json);
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const digestsOf = (m: Member, stream: string) => get(m, `/v1/archive/digests?stream=${stream}`, StreamDigests);
export const indexOf = (m: Member, stream: string, hour: string) => get(m, `/v1/archive/index?stream=${stream}&hour=${hour}`, HourIndex);

export interface Comparison {
  diffs: HourIndexDiff[];
  plan: ResyncPlan;
}

/** The console's comparison: hour digests, then the indexes of the hours that differ, then the plan. */
export async function compare(members: Member[], stream: string, settledBeforeMs?: number): Promise<Comparison> {
  const digests = await Promise.all(members.map(async (m) => ({ memberId: m.name, hours: (await digestsOf(m, stream)).hours })));
  const diffs: HourIndexDiff[] = [];
  for (const hour of hoursThatDiffer(digests)) {
    const indexes = await Promise.all(members.map(async (m) => ({ memberId: m.name, segments: (await indexOf(m, stream, hour.hour)).segments })));
    diffs.push(diffHourIndexes(hour.hour, indexes, { settledBeforeMs }));
  }
  return { diffs, plan: planResync(stream, diffs) };
}

export async function runJob(puller: Member, body: unknown, timeoutMs = 60_000): Promise<ResyncJob> {
  const { status, json } = await call(puller, 'POST', '/v1/archive/pull', body);
  if (status !== 202) throw new Error(`pull refused by ${puller.name}: ${status} ${JSON.stringify(json)}`);
  const { jobId } = ArchivePullAccepted.parse(json);
  return waitFor(`job ${jobId} on ${puller.name}`, timeoutMs, async () => {
    const { jobs } = await get(puller, '/v1/archive/jobs', ResyncJobList);
    const job = jobs.find((j) => j.id === jobId);
    return job && job.state !== 'running' ? job : undefined;
  }, 50);
}

/** Runs every pull of a plan (each member's pulls in turn, members in parallel). */
export async function execute(members: Member[], plan: ResyncPlan, timeoutMs = 60_000): Promise<ResyncJob[]> {
  const byName = new Map(members.map((m) => [m.name, m]));
  const byPuller = new Map<string, typeof plan.pulls>();
  for (const p of plan.pulls) byPuller.set(p.memberId, [...(byPuller.get(p.memberId) ?? []), p]);
  const results = await Promise.all(
    [...byPuller.entries()].map(async ([pullerId, pulls]) => {
      const jobs: ResyncJob[] = [];
      for (const pull of pulls) {
        const source = byName.get(pull.sourceId)!;
        jobs.push(await runJob(byName.get(pullerId)!, pullRequestFor(pull, source), timeoutMs));
      }
      return jobs;
    }),
  );
  return results.flat();
}

/** name → sha256 of every file in a folder (dot files included, so leftovers would show). */
export function treeHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) out.set(name, createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex'));
  return out;
}

export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.bind(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
