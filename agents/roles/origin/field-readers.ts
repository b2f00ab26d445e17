/** Defensive readers for fields of servers' answers: wrong types and absent fields become null, never exceptions. */
import { MAX_STREAM_NAME_CHARS } from '../../protocol';

/** A finite, non-negative number from a number or a numeric string; null otherwise. */
export function readNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export function readInt(value: unknown): number | null {
  const n = readNumber(value);
  return n === null ? null : Math.floor(n);
}

export function readString(value: unknown, maxChars = 64): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text ? text.slice(0, maxChars) : null;
}

export function readBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1) return true;
  if (value === 'false' || value === 0) return false;
  return null;
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function clampName(text: string): string {
  return text.slice(0, MAX_STREAM_NAME_CHARS);
}

/** Splits a path-like stream name at its last slash: `live/sub/ch1` → app `live/sub`, name `ch1`. */
export function splitStreamPath(path: string): { app: string; name: string } {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return { app: '', name: clampName(trimmed) };
  return { app: clampName(trimmed.slice(0, slash)), name: clampName(trimmed.slice(slash + 1)) };
}

/** bits/s → kbit/s, rounded. */
export function bitsToKbps(bitsPerSec: number | null): number | null {
  return bitsPerSec === null ? null : Math.round(bitsPerSec / 1000);
}
