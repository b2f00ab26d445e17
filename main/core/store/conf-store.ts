import Conf from 'conf';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type KeyValueStore, StoreUnreadableError } from './store';

/** The `conf`-backed store used by `tally serve` and the tests. Writes are atomic (conf writes temp + rename). */
export function createConfStore(dataDir: string, name = 'tally'): KeyValueStore {
  const file = path.join(dataDir, `${name}.json`);
  if (existsSync(file)) {
    // conf would throw a bare SyntaxError; check first so the operator gets the path and the cause.
    try {
      JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new StoreUnreadableError(file, (err as Error).message);
    }
  }
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: name,
    projectName: 'tally',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });
  return {
    path: conf.path,
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
  };
}
