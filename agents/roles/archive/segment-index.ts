/**
 * One stream's index: start, duration, size and sha256 per segment, kept in memory and persisted as one JSON file
 * per hour (written through a temp file). Hour digests are cached and recomputed only for hours that changed.
 */
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type HourDigest, hourKeyOfSegmentName, HourKey, type SegmentEntry, SegmentEntry as SegmentEntrySchema } from '../../protocol';
import { writeFileAtomic } from '../../../lib/atomic-write';
import { hourDigestOf, setDigestOf } from './hour-digest';

/** An index line plus what only this host needs: the file's mtime when it was last hashed. */
export type LocalEntry = SegmentEntry & { mtimeMs: number };

const HourFile = z.object({
  version: z.literal(1),
  segments: z.array(z.intersection(SegmentEntrySchema, z.object({ mtimeMs: z.number() }))),
});

export interface StreamSummary {
  segments: number;
  bytes: number;
  oldestSegmentStartMs: number | null;
  newestSegmentStartMs: number | null;
  hours: number;
  rotSegments: number;
  digestVersion: number;
  setDigest: string;
}

export class StreamIndex {
  private readonly hours = new Map<string, Map<string, LocalEntry>>();
  private readonly digestCache = new Map<string, HourDigest>();
  private readonly unsaved = new Set<string>();
  private digestVersion = 0;
  private setDigestCache: string | undefined;
  private segments = 0;
  private bytes = 0;
  private rotSegments = 0;

  constructor(
    readonly stream: string,
    private readonly dir: string,
  ) {}

  /** Loads the persisted hours. A file that does not parse is moved aside and named in the answer, never dropped. */
  async load(): Promise<{ hours: number; corrupt: { file: string; movedTo: string; reason: string }[] }> {
    await mkdir(this.dir, { recursive: true });
    const corrupt: { file: string; movedTo: string; reason: string }[] = [];
    let hours = 0;
    for (const file of await readdir(this.dir)) {
      if (!file.endsWith('.json') || !HourKey.safeParse(file.slice(0, -5)).success) continue;
      const full = path.join(this.dir, file);
      const parsed = parseHourFile(await readFile(full, 'utf8'), file.slice(0, -5));
      if (!parsed.ok) {
        const movedTo = `${full}.corrupt-${Date.now()}`;
        await rename(full, movedTo);
        corrupt.push({ file: full, movedTo, reason: parsed.reason });
        continue;
      }
      for (const entry of parsed.segments) this.put(entry, { persist: false });
      hours++;
    }
    return { hours, corrupt };
  }

  get(name: string): LocalEntry | undefined {
    return this.hours.get(hourKeyOfSegmentName(name))?.get(name);
  }

  *entries(): Iterable<LocalEntry> {
    for (const hour of this.hours.values()) yield* hour.values();
  }

  hourKeys(): string[] {
    return [...this.hours.keys()].sort();
  }

  put(entry: LocalEntry, opts: { persist?: boolean } = {}): void {
    const hour = hourKeyOfSegmentName(entry.name);
    let map = this.hours.get(hour);
    if (!map) this.hours.set(hour, (map = new Map()));
    const old = map.get(entry.name);
    if (old) this.account(old, -1);
    map.set(entry.name, entry);
    this.account(entry, 1);
    this.changed(hour, opts.persist ?? true);
  }

  remove(name: string): LocalEntry | undefined {
    const hour = hourKeyOfSegmentName(name);
    const map = this.hours.get(hour);
    const old = map?.get(name);
    if (!map || !old) return undefined;
    map.delete(name);
    this.account(old, -1);
    if (map.size === 0) this.hours.delete(hour);
    this.changed(hour, true);
    return old;
  }

  setRot(name: string, rot: boolean): void {
    const entry = this.get(name);
    if (!entry || Boolean(entry.rot) === rot) return;
    const next: LocalEntry = { ...entry };
    if (rot) next.rot = true;
    else delete next.rot;
    this.put(next);
  }

  /** The hour's index lines as the wire carries them, sorted by name. */
  hourIndex(hour: string): SegmentEntry[] {
    const map = this.hours.get(hour);
    if (!map) return [];
    return [...map.values()].sort(byName).map(({ mtimeMs: _mtime, ...wire }) => wire);
  }

  hourDigest(hour: string): HourDigest | undefined {
    const cached = this.digestCache.get(hour);
    if (cached) return cached;
    const map = this.hours.get(hour);
    if (!map) return undefined;
    const entries = [...map.values()];
    const digest: HourDigest = {
      hour,
      segments: entries.length,
      bytes: entries.reduce((sum, e) => sum + e.sizeBytes, 0),
      digest: hourDigestOf(entries),
      rotSegments: entries.filter((e) => e.rot).length,
    };
    this.digestCache.set(hour, digest);
    return digest;
  }

  hourDigests(fromHour?: string, toHour?: string): HourDigest[] {
    return this.hourKeys()
      .filter((h) => (!fromHour || h >= fromHour) && (!toHour || h <= toHour))
      .map((h) => this.hourDigest(h)!);
  }

  setDigest(): string {
    this.setDigestCache ??= setDigestOf(this.hourDigests());
    return this.setDigestCache;
  }

  summary(): StreamSummary {
    const keys = this.hourKeys();
    const first = keys.length ? this.hours.get(keys[0]!)! : undefined;
    const last = keys.length ? this.hours.get(keys[keys.length - 1]!)! : undefined;
    const minStart = (m?: Map<string, LocalEntry>) => (m ? Math.min(...[...m.values()].map((e) => e.startMs)) : null);
    const maxStart = (m?: Map<string, LocalEntry>) => (m ? Math.max(...[...m.values()].map((e) => e.startMs)) : null);
    return {
      segments: this.segments,
      bytes: this.bytes,
      oldestSegmentStartMs: minStart(first),
      newestSegmentStartMs: maxStart(last),
      hours: keys.length,
      rotSegments: this.rotSegments,
      digestVersion: this.digestVersion,
      setDigest: this.setDigest(),
    };
  }

  /** Writes every hour changed since the last flush. */
  async flush(): Promise<void> {
    const hours = [...this.unsaved];
    this.unsaved.clear();
    for (const hour of hours) {
      const file = path.join(this.dir, `${hour}.json`);
      const map = this.hours.get(hour);
      const segments = map ? [...map.values()].sort(byName) : [];
      try {
        await writeFileAtomic(file, `${JSON.stringify({ version: 1, segments })}\n`);
      } catch (err) {
        this.unsaved.add(hour);
        throw err;
      }
    }
  }

  private account(entry: LocalEntry, sign: 1 | -1): void {
    this.segments += sign;
    this.bytes += sign * entry.sizeBytes;
    if (entry.rot) this.rotSegments += sign;
  }

  private changed(hour: string, persist: boolean): void {
    this.digestCache.delete(hour);
    this.setDigestCache = undefined;
    this.digestVersion++;
    if (persist) this.unsaved.add(hour);
  }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function parseHourFile(text: string, hour: string): { ok: true; segments: LocalEntry[] } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = HourFile.safeParse(json);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid' };
  if (parsed.data.segments.some((s) => hourKeyOfSegmentName(s.name) !== hour)) return { ok: false, reason: 'a segment outside the hour' };
  return { ok: true, segments: parsed.data.segments };
}
