/**
 * A fast path for the message a console reads most: at 1,000 hosts, 2,000 heartbeats a second, almost all of them a
 * system status plus a channel delta. zod checked each one by building a parsed copy of it, which was over a quarter of
 * the console's busy time at that scale (scale bench CPU profile).
 *
 * The fast path only ever says "this message is valid exactly as it is": it checks every field it meets with the same
 * rules as the zod schemas (transcoder.ts, protocol.ts) — or stricter — and returns the message itself. Anything else
 * (another message type, a role it does not know, a rescan list, events, a `lastExit`, an unknown field, a value
 * outside its rules) makes it return null, and the message goes through zod, which stays the one authority and the
 * one that words the errors. A test feeds both thousands of random messages and checks that whatever the fast path
 * accepts, zod accepts and parses to the same thing; another checks these tables name every field of the schemas.
 * zod-free on purpose: plain checks, nothing allocated per message.
 */
import type { HeartbeatMessage } from '../protocol';
import { ChannelState, MAX_CHANNEL_NAME_CHARS, MAX_CHANNELS, MAX_ERROR_LINE_CHARS } from './transcoder';

type Check = (v: unknown) => boolean;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const STATES: ReadonlySet<unknown> = new Set(ChannelState.options);

const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const nonNegative: Check = (v) => num(v) && (v as number) >= 0;
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const positiveInt: Check = (v) => Number.isSafeInteger(v) && (v as number) > 0;
const percent: Check = (v) => num(v) && (v as number) >= 0 && (v as number) <= 100;
const bool: Check = (v) => typeof v === 'boolean';
const text =
  (max: number, min = 0): Check =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max;
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const sha256: Check = (v) => typeof v === 'string' && SHA256_HEX.test(v);

/** ChannelStatus's fields as the fast path checks them in a patch; `lastExit` (an object) is left to zod. */
export const FAST_PATCH_FIELDS: ReadonlyMap<string, Check> = new Map([
  ['name', text(MAX_CHANNEL_NAME_CHARS, 1)],
  ['state', (v: unknown) => STATES.has(v)],
  ['reason', nullable(text(1024))],
  ['pid', nullable(positiveInt)],
  ['startedAt', nullable(num)],
  ['uptimeMs', nullable(nonNegative)],
  ['restarts', count],
  ['nextStartAt', nullable(num)],
  ['lastErrorLine', nullable(text(MAX_ERROR_LINE_CHARS))],
  ['lastOutputAt', nullable(num)],
  ['lastSegmentAt', nullable(num)],
  ['segmentsCompleted', count],
  ['fps', nullable(nonNegative)],
  ['bitrateKbps', nullable(nonNegative)],
  ['speed', nullable(nonNegative)],
  ['configHash', nullable(sha256)],
  ['runningHash', nullable(sha256)],
  ['epoch', nullable(count)],
]);

/** SystemStatus's scalar fields (its `disks` and `nics` below), DiskStatus's and NicStatus's: all required. */
export const FAST_SYSTEM_FIELDS: ReadonlyMap<string, Check> = new Map([
  ['hostname', text(Infinity)],
  ['cpuPct', percent],
  ['cpuCores', positiveInt],
  ['memUsedBytes', nonNegative],
  ['memTotalBytes', nonNegative],
  ['uptimeSec', nonNegative],
]);
export const FAST_DISK_FIELDS: ReadonlyMap<string, Check> = new Map([
  ['mount', text(Infinity)],
  ['sizeBytes', nonNegative],
  ['usedBytes', nonNegative],
  ['usedPct', percent],
]);
export const FAST_NIC_FIELDS: ReadonlyMap<string, Check> = new Map([
  ['name', text(Infinity)],
  ['up', bool],
  ['rxBytesPerSec', nonNegative],
  ['txBytesPerSec', nonNegative],
]);
const MAX_DISKS_OR_NICS = 64;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every key of `v` is in `fields` and passes; with `all`, every field is there too. */
function fieldsPass(v: unknown, fields: ReadonlyMap<string, Check>, all: boolean): boolean {
  if (!isObject(v)) return false;
  let seen = 0;
  for (const key in v) {
    const check = fields.get(key);
    if (!check || !check(v[key])) return false;
    seen++;
  }
  return !all || seen === fields.size;
}

function listPasses(v: unknown, max: number, item: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v) || v.length > max) return false;
  for (const x of v) if (!item(x)) return false;
  return true;
}

function systemPasses(v: unknown): boolean {
  if (!isObject(v)) return false;
  let seen = 0;
  for (const key in v) {
    if (key === 'disks') {
      if (!listPasses(v.disks, MAX_DISKS_OR_NICS, (d) => fieldsPass(d, FAST_DISK_FIELDS, true))) return false;
    } else if (key === 'nics') {
      if (!listPasses(v.nics, MAX_DISKS_OR_NICS, (n) => fieldsPass(n, FAST_NIC_FIELDS, true))) return false;
    } else {
      const check = FAST_SYSTEM_FIELDS.get(key);
      if (!check || !check(v[key])) return false;
    }
    seen++;
  }
  return seen === FAST_SYSTEM_FIELDS.size + 2;
}

function deltaPasses(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const key in v) if (key !== 'changed') return false;
  return listPasses(v.changed, MAX_CHANNELS, (p) => fieldsPass(p, FAST_PATCH_FIELDS, false) && (p as Json).name !== undefined);
}

/**
 * `json` (straight from JSON.parse) as the HeartbeatMessage it already is, when the fast path can vouch for all of it;
 * null means "ask zod", not "invalid".
 */
export function fastHeartbeat(json: unknown): HeartbeatMessage | null {
  if (!isObject(json)) return null;
  let seen = 0;
  for (const key in json) {
    if (key !== 'type' && key !== 'seq' && key !== 'sentAt' && key !== 'status' && key !== 'events') return null;
    seen++;
  }
  if (seen !== 5 || json.type !== 'heartbeat' || !count(json.seq) || !num(json.sentAt)) return null;
  if (!Array.isArray(json.events) || json.events.length !== 0) return null;
  const status = json.status;
  if (!isObject(status)) return null;
  for (const key in status) {
    if (key === 'system') {
      if (!systemPasses(status.system)) return null;
    } else if (key === 'transcoderDelta') {
      if (!deltaPasses(status.transcoderDelta)) return null;
    } else return null;
  }
  return json as unknown as HeartbeatMessage;
}
