/**
 * A per-key serial queue, shared by the console (snapshot history) and the agent (channel table). lib/ imports
 * nothing but Node built-ins, so both sides may use it (scripts/dependency-rules.ts).
 */

/** Runs tasks one at a time per key, in the order they were queued; different keys run side by side. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    // The caller receives the task's error through `result`; the tail only marks when the next task may start.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
