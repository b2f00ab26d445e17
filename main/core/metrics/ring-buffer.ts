/** A fixed-size series of (time, value) samples; the oldest sample is overwritten. Memory never grows. */
export class RingSeries {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(at: number, value: number): void {
    const index = (this.start + this.count) % this.capacity;
    this.times[index] = at;
    this.values[index] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  get size(): number {
    return this.count;
  }

  latest(): [number, number] | undefined {
    if (this.count === 0) return undefined;
    const i = (this.start + this.count - 1) % this.capacity;
    return [this.times[i]!, this.values[i]!];
  }

  /** Samples oldest first; `maxPoints` downsamples by keeping every k-th sample (and always the newest). */
  toArray(maxPoints = this.capacity): [number, number][] {
    const step = Math.max(1, Math.ceil(this.count / Math.max(1, maxPoints)));
    const out: [number, number][] = [];
    for (let k = (this.count - 1) % step; k < this.count; k += step) {
      const i = (this.start + k) % this.capacity;
      out.push([this.times[i]!, this.values[i]!]);
    }
    return out;
  }
}

/** Named series per key (host), each bounded; samples closer than `minSpacingMs` to the last one are dropped. */
export class MetricStore<Name extends string> {
  private readonly series = new Map<string, Map<Name, RingSeries>>();
  constructor(
    private readonly capacity: number,
    private readonly minSpacingMs: number,
  ) {}

  record(key: string, name: Name, at: number, value: number): void {
    let byName = this.series.get(key);
    if (!byName) this.series.set(key, (byName = new Map()));
    let s = byName.get(name);
    if (!s) byName.set(name, (s = new RingSeries(this.capacity)));
    const last = s.latest();
    if (last && at - last[0] < this.minSpacingMs) return;
    s.push(at, value);
  }

  read(key: string, name: Name, maxPoints?: number): [number, number][] {
    return this.series.get(key)?.get(name)?.toArray(maxPoints) ?? [];
  }

  forget(key: string): void {
    this.series.delete(key);
  }
}
