import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Lab, type LabAgentSpec, type LabOptions, startLab } from './lab';
import { labTranscoderSection, seedLabChannels } from './transcoder-lab';

/** One host of the demo plant, with what the console should record about it. */
export interface DemoHost extends LabAgentSpec {
  kind: 'transcoder' | 'origin' | 'archive' | 'storage' | 'other';
  role: 'main' | 'reserve' | 'maintenance';
  group: string;
  /** Transcoder hosts: the lavfi test channels the host starts with (none on a reserve). */
  channels?: string[];
}

export const DEMO_PLANT: DemoHost[] = [
  { name: 'tc-1', ip: '127.0.0.2', kind: 'transcoder', role: 'main', group: 'transcoders', roles: ['system', 'transcoder'], channels: ['news', 'sport', 'music'] },
  { name: 'tc-2', ip: '127.0.0.3', kind: 'transcoder', role: 'main', group: 'transcoders', roles: ['system', 'transcoder'], channels: ['kids', 'weather'] },
  { name: 'tc-reserve', ip: '127.0.0.4', kind: 'transcoder', role: 'reserve', group: 'transcoders', roles: ['system', 'transcoder'], channels: [] },
  { name: 'origin-1', ip: '127.0.0.5', kind: 'origin', role: 'main', group: 'origins' },
  { name: 'archive-a', ip: '127.0.0.6', kind: 'archive', role: 'main', group: 'archive' },
  { name: 'archive-b', ip: '127.0.0.7', kind: 'archive', role: 'main', group: 'archive' },
];

export interface DemoPlant {
  lab: Lab;
  hosts: (DemoHost & { address: string; token: string })[];
}

/** Starts every demo host as a real agent process. Tokens are kept in the plant folder so they survive restarts. */
export async function startDemoPlant(opts: LabOptions, plant: DemoHost[] = DEMO_PLANT): Promise<DemoPlant> {
  mkdirSync(opts.dir, { recursive: true });
  const tokensFile = path.join(opts.dir, 'tokens.json');
  const tokens: Record<string, string> = existsSync(tokensFile) ? (JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string>) : {};
  for (const host of plant) tokens[host.name] ??= randomBytes(18).toString('base64url');
  writeFileSync(tokensFile, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  const lab = await startLab(
    plant.map((h) => ({ ...h, token: tokens[h.name], extra: { ...h.extra, ...transcoderExtra(opts.dir, h) } })),
    opts,
  );
  return {
    lab,
    hosts: plant.map((h, i) => ({ ...h, address: lab.agents[i]!.address, token: lab.agents[i]!.token })),
  };
}

/** A transcoder host gets its `transcoder` section, and its test channels on first start. */
function transcoderExtra(dir: string, host: DemoHost): Record<string, unknown> {
  if (!host.roles?.includes('transcoder')) return {};
  const section = labTranscoderSection(dir, host.name);
  seedLabChannels(section.channelsDir, host.channels ?? []);
  return { transcoder: section };
}
