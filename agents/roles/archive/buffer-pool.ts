/**
 * Reusable buffers for serving segments. A fresh multi-MiB buffer per answer makes V8 run full collections (its
 * external-memory pressure), which cost more than the copy itself; a few buffers reused keep that off. Buffers are
 * kept per size class (whole MiB), at most `maxKept` in all, and dropped after `idleMs` without use (checked on the
 * next `take`, and by a timer that does not keep the process alive).
 */
const MIB = 1024 * 1024;

export class BufferPool {
  private free = new Map<number, Buffer[]>();
  private kept = 0;
  private lastUse = 0;
  private trimTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxKept = 8,
    private readonly idleMs = 30_000,
  ) {}

  /** A buffer of exactly `size` bytes (a view of a pooled one) and the function that gives it back, once. */
  take(size: number, nowMs = Date.now()): { buf: Buffer; release: () => void } {
    this.trim(nowMs);
    this.lastUse = nowMs;
    const cls = Math.max(1, Math.ceil(size / MIB)) * MIB;
    const pooled = this.free.get(cls)?.pop();
    if (pooled) this.kept--;
    const backing = pooled ?? Buffer.allocUnsafeSlow(cls);
    let released = false;
    return {
      buf: backing.subarray(0, size),
      release: () => {
        if (released) return;
        released = true;
        if (this.kept >= this.maxKept) return;
        const l = this.free.get(cls) ?? [];
        l.push(backing);
        this.free.set(cls, l);
        this.kept++;
        this.scheduleTrim();
      },
    };
  }

  /** Kept buffers are dropped after `idleMs` without use even if nobody asks again (an unref'd timer). */
  private scheduleTrim(): void {
    if (this.trimTimer || this.kept === 0) return;
    this.trimTimer = setTimeout(() => {
      this.trimTimer = undefined;
      this.trim(Date.now());
      this.scheduleTrim();
    }, this.idleMs);
    this.trimTimer.unref();
  }

  private trim(nowMs: number): void {
    if (this.kept > 0 && nowMs - this.lastUse > this.idleMs) {
      this.free.clear();
      this.kept = 0;
    }
  }
}
