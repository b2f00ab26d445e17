// Builds the two plain-Node programs: the agent as one self-contained file that runs on a bare host, and the
// `tally` command line (serve/start), which runs inside this package and so keeps its dependencies external.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const agent = 'dist/agent/tally-agent.cjs';
await build({
  entryPoints: ['agents/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: agent,
  // ws probes these optional native speed-ups; the agent runs fine without them.
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
  legalComments: 'none',
});
chmodSync(agent, 0o755);

await build({
  entryPoints: ['main/server/cli.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  outfile: 'out/cli/tally.mjs',
  logLevel: 'warning',
});
console.log(`built ${agent} and out/cli/tally.mjs`);
