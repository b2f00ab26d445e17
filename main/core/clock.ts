/** Time as the engine sees it; tests pass a fake one. */
export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): { cancel(): void };
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    return { cancel: () => clearInterval(t) };
  },
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that moves only when told to; timers fire in time order inside advance(). */
export class FakeClock implements Clock {
  private timers: { at: number; every: number | null; fn: () => void; id: number }[] = [];
  private nextId = 0;
  constructor(private current = 1_700_000_000_000) {}
  now(): number {
    return this.current;
  }
  setInterval(fn: () => void, ms: number) {
    return this.add(fn, ms, ms);
  }
  setTimeout(fn: () => void, ms: number) {
    return this.add(fn, ms, null);
  }
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.current = due.at;
      if (due.every === null) this.timers = this.timers.filter((t) => t !== due);
      else due.at += due.every;
      due.fn();
    }
    this.current = end;
  }
  private add(fn: () => void, ms: number, every: number | null) {
    const timer = { at: this.current + ms, every, fn, id: this.nextId++ };
    this.timers.push(timer);
    return { cancel: () => void (this.timers = this.timers.filter((t) => t !== timer)) };
  }
}
