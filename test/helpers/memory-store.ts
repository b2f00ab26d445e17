import type { KeyValueStore } from '../../main/core/store/store';

/** An in-memory KeyValueStore for unit tests of code that owns its validation (the real ones are tested on disk). */
export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Record<string, unknown> } {
  const data = structuredClone(initial);
  return { data, path: '(memory)', get: (k) => structuredClone(data[k]), set: (k, v) => void (data[k] = structuredClone(v)) };
}
