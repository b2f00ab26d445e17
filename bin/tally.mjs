#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/cli/tally.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('tally: not built yet — run `npm run build` first\n');
  process.exit(1);
}
await import(cli);
