/**
 * One store interface for settings and inventory. The desktop app backs it with electron-store, `tally serve` and
 * the tests with `conf` (the library electron-store is built on). Values are validated by their owners on read.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly path: string;
}

/** A store whose file could not be read: it refuses writes so the damaged file is never replaced by an empty one. */
export class StoreUnreadableError extends Error {
  constructor(
    readonly path: string,
    cause: string,
  ) {
    super(`the settings file ${path} is unreadable (${cause}); it was left as it is — fix or move it, then restart`);
  }
}
