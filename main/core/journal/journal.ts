import { randomBytes } from 'node:crypto';
import { closeSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { JournalEntry, type Severity } from '../api';

export interface JournalInput {
  kind: string;
  severity?: Severity;
  message: string;
  hostId?: string | null;
  operator?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Append-only journal: one JSON line per entry, one file per UTC day. Each line is written to the file before
 * append() returns, so a console that crashes or is killed loses nothing it reported as journalled. The fsync that
 * makes lines survive an OS crash or power cut runs off the event loop and is shared (group commit): while one is in
 * flight, lines written meanwhile wait for the next. So a thousand entries in a burst (a big plant connecting) cost
 * one or two fsyncs, not a thousand stalls of the event loop — at the price that a power cut can lose the lines of
 * the last fsync's few milliseconds. `flushed()` waits for everything written so far to be on disk.
 * Recent entries are also kept in memory (bounded) for the UI.
 */
export class Journal {
  private fd: number | null = null;
  private day = '';
  private readonly recentEntries: JournalEntry[] = [];
  private readonly listeners = new Set<(entry: JournalEntry) => void>();
  private seq = 0;
  /** Lines written since the last fsync began. */
  private dirty = false;
  private syncing = false;
  private waiters: (() => void)[] = [];
  /** Day files to close once the fsync in flight on them is done. */
  private closeAfterSync: number[] = [];

  constructor(
    readonly dir: string,
    private readonly now: () => number,
    private readonly recentLimit = 2000,
  ) {
    mkdirSync(dir, { recursive: true });
    this.recentEntries.push(...this.readTail(recentLimit));
  }

  append(input: JournalInput): JournalEntry {
    const at = this.now();
    const entry: JournalEntry = {
      id: `${at.toString(36)}-${(this.seq++).toString(36)}-${randomBytes(3).toString('hex')}`,
      at,
      kind: input.kind,
      severity: input.severity ?? 'info',
      message: input.message,
      hostId: input.hostId ?? null,
      operator: input.operator ?? null,
      ...(input.data ? { data: input.data } : {}),
    };
    const fd = this.fileFor(at);
    writeSync(fd, `${JSON.stringify(entry)}\n`);
    this.dirty = true;
    this.scheduleSync();
    this.recentEntries.push(entry);
    if (this.recentEntries.length > this.recentLimit) this.recentEntries.splice(0, this.recentEntries.length - this.recentLimit);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  recent(limit: number): JournalEntry[] {
    return this.recentEntries.slice(-limit);
  }

  onAppend(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every line written so far has been fsynced. */
  flushed(): Promise<void> {
    if (!this.dirty && !this.syncing) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    if (this.fd !== null) {
      if (this.dirty || this.syncing) fsyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = null;
    this.dirty = false;
    for (const w of this.waiters.splice(0)) w();
  }

  private scheduleSync(): void {
    if (this.syncing || this.fd === null) return;
    this.syncing = true;
    this.dirty = false;
    const fd = this.fd;
    const waiting = this.waiters.splice(0);
    fsync(fd, () => {
      // An fsync error (the disk is failing) cannot be handed to anyone useful here; the next write will meet it.
      this.syncing = false;
      for (const c of this.closeAfterSync.splice(0)) closeSync(c);
      for (const w of waiting) w();
      if (this.dirty) this.scheduleSync();
      else for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Reads entries between two times from the day files; a damaged line is skipped and counted, never dropped silently. */
  read(fromMs: number, toMs: number): { entries: JournalEntry[]; damagedLines: number } {
    const entries: JournalEntry[] = [];
    let damagedLines = 0;
    for (const file of this.dayFiles()) {
      const day = file.slice(0, 10);
      if (day < dayOf(fromMs) || day > dayOf(toMs)) continue;
      for (const line of readFileSync(path.join(this.dir, file), 'utf8').split('\n')) {
        if (!line) continue;
        const parsed = safeParseLine(line);
        if (!parsed) damagedLines++;
        else if (parsed.at >= fromMs && parsed.at <= toMs) entries.push(parsed);
      }
    }
    return { entries, damagedLines };
  }

  private readTail(limit: number): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const file of this.dayFiles().reverse()) {
      const lines = readFileSync(path.join(this.dir, file), 'utf8').split('\n').filter(Boolean);
      const parsed = lines.map(safeParseLine).filter((e): e is JournalEntry => e !== null);
      out.unshift(...parsed.slice(-(limit - out.length)));
      if (out.length >= limit) break;
    }
    return out;
  }

  private dayFiles(): string[] {
    return readdirSync(this.dir)
      .filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))
      .sort();
  }

  private fileFor(at: number): number {
    const day = dayOf(at);
    if (this.fd === null || day !== this.day) {
      if (this.fd !== null) {
        // The old day's lines go to disk before the new day's file takes over.
        if (this.dirty) fsyncSync(this.fd);
        this.dirty = false;
        if (this.syncing) this.closeAfterSync.push(this.fd);
        else closeSync(this.fd);
      }
      this.fd = openSync(path.join(this.dir, `${day}.jsonl`), 'a');
      this.day = day;
    }
    return this.fd;
  }
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function safeParseLine(line: string): JournalEntry | null {
  try {
    const parsed = JournalEntry.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
