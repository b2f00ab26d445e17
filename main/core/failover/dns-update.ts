/**
 * RFC 2136 dynamic updates signed with TSIG (RFC 8945, HMAC-SHA256), as pure encode/decode functions. Failover uses
 * them to re-point a channel's published name at the reserve host. No shell and no external tool: the console runs on
 * operators' desktops too, where bind's nsupdate is not installed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export type RecordType = 'A' | 'AAAA';
const TYPE_CODE: Record<RecordType | 'SOA' | 'TSIG', number> = { A: 1, AAAA: 28, SOA: 6, TSIG: 250 };
const CLASS_IN = 1;
const CLASS_ANY = 255;
const OPCODE_UPDATE = 5;
const TSIG_ALGORITHM = 'hmac-sha256';
const FUDGE_SEC = 300;

export interface TsigKey {
  name: string;
  /** The secret as bind prints it (base64). */
  secretBase64: string;
}

export interface UpdateRequest {
  zone: string;
  name: string;
  type: RecordType;
  ttlSec: number;
  /** The addresses the name should point at after the update (the old RRset is replaced). */
  addresses: string[];
}

export const RCODE_TEXT: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
};

export function normalizeName(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, '');
  if (!/^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(trimmed) || trimmed.length > 253) {
    throw new Error(`"${name}" is not a valid DNS name`);
  }
  return trimmed;
}

function encodeName(name: string): Buffer {
  const labels = normalizeName(name).split('.');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
function u48(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(n, 0, 6);
  return b;
}

function rdataOf(type: RecordType, address: string): Buffer {
  if (type === 'A') {
    if (!isIPv4(address)) throw new Error(`${address} is not an IPv4 address`);
    return Buffer.from(address.split('.').map(Number));
  }
  if (!isIPv6(address)) throw new Error(`${address} is not an IPv6 address`);
  const [head = '', tail = ''] = address.split('::');
  const parts = (s: string) => (s ? s.split(':') : []);
  const h = parts(head);
  const t = parts(tail);
  const groups = address.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
}

function rr(name: string, type: number, cls: number, ttl: number, rdata: Buffer): Buffer {
  return Buffer.concat([encodeName(name), u16(type), u16(cls), u32(ttl), u16(rdata.length), rdata]);
}

/** The unsigned UPDATE message: replace the RRset of `name`/`type` in `zone` with `addresses`. */
export function encodeUpdate(id: number, req: UpdateRequest): Buffer {
  const zone = normalizeName(req.zone);
  const name = normalizeName(req.name);
  if (name !== zone && !name.endsWith(`.${zone}`)) throw new Error(`${name} is not inside the zone ${zone}`);
  if (req.addresses.length === 0) throw new Error('at least one address is needed');
  const updates = [rr(name, TYPE_CODE[req.type], CLASS_ANY, 0, Buffer.alloc(0)), ...req.addresses.map((a) => rr(name, TYPE_CODE[req.type], CLASS_IN, req.ttlSec, rdataOf(req.type, a)))];
  const header = Buffer.concat([u16(id), u16(OPCODE_UPDATE << 11), u16(1), u16(0), u16(updates.length), u16(0)]);
  const zoneSection = Buffer.concat([encodeName(zone), u16(TYPE_CODE.SOA), u16(CLASS_IN)]);
  return Buffer.concat([header, zoneSection, ...updates]);
}

function tsigVariables(key: TsigKey, timeSigned: number, error = 0, other: Uint8Array = Buffer.alloc(0)): Buffer {
  return Buffer.concat([encodeName(key.name), u16(CLASS_ANY), u32(0), encodeName(TSIG_ALGORITHM), u48(timeSigned), u16(FUDGE_SEC), u16(error), u16(other.length), other]);
}

/** Appends a TSIG record to a message; returns the signed message and the MAC (needed to check the answer). */
export function signMessage(message: Buffer, key: TsigKey, timeSigned: number): { signed: Buffer; mac: Buffer } {
  const secret = Buffer.from(key.secretBase64, 'base64');
  const mac = createHmac('sha256', secret).update(message).update(tsigVariables(key, timeSigned)).digest();
  const id = message.readUInt16BE(0);
  const rdata = Buffer.concat([encodeName(TSIG_ALGORITHM), u48(timeSigned), u16(FUDGE_SEC), u16(mac.length), mac, u16(id), u16(0), u16(0)]);
  const signed = Buffer.concat([message, rr(key.name, TYPE_CODE.TSIG, CLASS_ANY, 0, rdata)]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { signed, mac };
}

/** Skips a possibly compressed name starting at `offset`; returns the offset after it. */
function skipName(buf: Buffer, offset: number): number {
  let at = offset;
  for (let hops = 0; hops < 128; hops++) {
    if (at >= buf.length) throw new Error('truncated name');
    const len = buf[at]!;
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2;
    at += 1 + len;
  }
  throw new Error('name too long');
}

export interface UpdateAnswer {
  id: number;
  rcode: number;
  rcodeText: string;
  /** null: the answer carried no TSIG; true/false: whether its MAC checks against our request's MAC. */
  signatureValid: boolean | null;
  tsigError: number | null;
}

/** Reads the server's answer: RCODE, and whether its TSIG is the server's genuine answer to our signed request. */
export function decodeAnswer(answer: Buffer, key: TsigKey, requestMac: Buffer): UpdateAnswer {
  if (answer.length < 12) throw new Error(`answer of ${answer.length} bytes is too short`);
  const id = answer.readUInt16BE(0);
  const flags = answer.readUInt16BE(2);
  const rcode = flags & 0x0f;
  const counts = [4, 6, 8, 10].map((o) => answer.readUInt16BE(o));
  let at = 12;
  for (let i = 0; i < counts[0]!; i++) at = skipName(answer, at) + 4;
  const rrTotal = counts[1]! + counts[2]! + counts[3]!;
  let signatureValid: boolean | null = null;
  let tsigError: number | null = null;
  for (let i = 0; i < rrTotal; i++) {
    const start = at;
    at = skipName(answer, at);
    const type = answer.readUInt16BE(at);
    const rdlen = answer.readUInt16BE(at + 8);
    const rdataAt = at + 10;
    at = rdataAt + rdlen;
    if (type !== TYPE_CODE.TSIG || i !== rrTotal - 1) continue;
    let p = skipName(answer, rdataAt);
    const timeSigned = answer.readUIntBE(p, 6);
    const macSize = answer.readUInt16BE(p + 8);
    const mac = answer.subarray(p + 10, p + 10 + macSize);
    p += 10 + macSize + 2;
    tsigError = answer.readUInt16BE(p);
    const otherLen = answer.readUInt16BE(p + 2);
    const other = answer.subarray(p + 4, p + 4 + otherLen);
    const unsigned = Buffer.from(answer.subarray(0, start));
    unsigned.writeUInt16BE(counts[3]! - 1, 10);
    const expected = createHmac('sha256', Buffer.from(key.secretBase64, 'base64'))
      .update(u16(requestMac.length))
      .update(requestMac)
      .update(unsigned)
      .update(tsigVariables(key, timeSigned, tsigError, other))
      .digest();
    signatureValid = mac.length === expected.length && timingSafeEqual(mac, expected);
  }
  return { id, rcode, rcodeText: RCODE_TEXT[rcode] ?? `RCODE ${rcode}`, signatureValid, tsigError };
}
