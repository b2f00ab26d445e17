import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILT_AGENT, type LabOptions } from '../../agents/lab/lab';

/** Lab options for tests: the built single-file agent when there is one (as shipped), else the source through tsx. */
export function labOptions(prefix: string): LabOptions & { cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tally-${prefix}-`));
  const built = existsSync(BUILT_AGENT);
  return {
    dir,
    agentEntry: built ? BUILT_AGENT : path.resolve('agents/main.ts'),
    nodeArgs: built ? [] : ['--import', 'tsx'],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
