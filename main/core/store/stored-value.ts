/**
 * Reading a module's own keys from the store with validation. A value that does not validate is never silently
 * dropped: the readable part is used, the raw value is copied to `<key>.rejected` (so a later save cannot lose it),
 * and the caller gets the reason to journal and show.
 */
import type { z } from 'zod';
import { describeInputError } from '../dispatch';
import type { KeyValueStore } from './store';

export interface Loaded<T> {
  value: T;
  /** Why (part of) the stored value was not used, or null. */
  problem: string | null;
}

export const rejectedKey = (key: string): string => `${key}.rejected`;

function keepRejected(store: KeyValueStore, key: string, raw: unknown): string {
  try {
    store.set(rejectedKey(key), raw);
    return `its stored value is kept under "${rejectedKey(key)}"`;
  } catch (err) {
    return `its stored value could not be copied aside (${(err as Error).message}); it was left in place`;
  }
}

/** One value (settings): the whole value or the fallback. */
export function loadStoredValue<T>(store: KeyValueStore, key: string, schema: z.ZodType<T>, fallback: T): Loaded<T> {
  const raw = store.get(key);
  if (raw === undefined) return { value: fallback, problem: null };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data, problem: null };
  const kept = keepRejected(store, key, raw);
  return { value: fallback, problem: `"${key}" in ${store.path} is invalid (${describeInputError(parsed.error)}); defaults are used and ${kept}` };
}

/** A list (inventory): every item that validates is used, the others are reported by position. */
export function loadStoredList<T>(store: KeyValueStore, key: string, item: z.ZodType<T>): Loaded<T[]> {
  const raw = store.get(key);
  if (raw === undefined) return { value: [], problem: null };
  if (!Array.isArray(raw)) {
    const kept = keepRejected(store, key, raw);
    return { value: [], problem: `"${key}" in ${store.path} is not a list; nothing of it is used and ${kept}` };
  }
  const value: T[] = [];
  const bad: string[] = [];
  raw.forEach((entry: unknown, i) => {
    const parsed = item.safeParse(entry);
    if (parsed.success) value.push(parsed.data);
    else bad.push(`#${i + 1}: ${describeInputError(parsed.error)}`);
  });
  if (bad.length === 0) return { value, problem: null };
  const kept = keepRejected(store, key, raw);
  return { value, problem: `${bad.length} of ${raw.length} entries of "${key}" in ${store.path} are invalid (${bad.slice(0, 3).join('; ')}); the other ${value.length} are used and ${kept}` };
}
