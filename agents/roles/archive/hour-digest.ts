import { createHash } from 'node:crypto';
import { digestLineOf, type HourDigest, type SegmentEntry } from '../../protocol';

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** sha256 over the hour's index lines (name, size, sha256) sorted by name. */
export function hourDigestOf(entries: Pick<SegmentEntry, 'name' | 'sizeBytes' | 'sha256'>[]): string {
  const hash = createHash('sha256');
  for (const entry of [...entries].sort((a, b) => byKey(a.name, b.name))) hash.update(digestLineOf(entry));
  return hash.digest('hex');
}

/** sha256 over `hour digest` lines sorted by hour: the identity of a whole stream archive. */
export function setDigestOf(hours: Pick<HourDigest, 'hour' | 'digest'>[]): string {
  const hash = createHash('sha256');
  for (const h of [...hours].sort((a, b) => byKey(a.hour, b.hour))) hash.update(`${h.hour} ${h.digest}\n`);
  return hash.digest('hex');
}
