import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
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
 * Append-only journal: one JSON line per entry, one file per UTC day, fsynced after every write so a crash loses
 * nothing that was reported as journalled. Recent entries are also kept in memory (bounded) for the UI.
 */
export class Journal {
  private fd: number | null = null;
  private day = '';
  private readonly recentEntries: JournalEntry[] = [];
  private readonly listeners = new Set<(entry: JournalEntry) => void>();
  private seq = 0;

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
    fsyncSync(fd);
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

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
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
      if (this.fd !== null) closeSync(this.fd);
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
