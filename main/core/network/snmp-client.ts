/**
 * The only file that talks to net-snmp: SNMP v2c get and subtree walks, with net-snmp's Buffers decoded into the
 * RawVarbind of if-mib.ts and its errors turned into an SnmpFailure with a kind (a timeout is what a wrong v2c
 * community looks like: the agent drops the request without a word).
 */
import * as snmp from 'net-snmp';
import type { RawVarbind } from './if-mib';

export interface SnmpTarget {
  address: string;
  port: number;
  community: string;
  timeoutMs: number;
  retries: number;
}

export type SnmpFailureKind = 'timeout' | 'error';

export class SnmpFailure extends Error {
  override readonly name = 'SnmpFailure';
  constructor(
    readonly kind: SnmpFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface SnmpClient {
  get(oids: string[]): Promise<RawVarbind[]>;
  /** Every varbind under `oid`, at most `maxRows`. */
  walk(oid: string, maxRows: number): Promise<RawVarbind[]>;
  close(): void;
}

export type SnmpConnector = (target: SnmpTarget, onSocketError: (err: Error) => void) => SnmpClient;

const { ObjectType } = snmp;

export function decodeVarbind(vb: snmp.Varbind): RawVarbind {
  if (snmp.isVarbindError(vb)) return { oid: vb.oid, value: null };
  const { value } = vb;
  if (vb.type === ObjectType.Counter64 && Buffer.isBuffer(value)) {
    return { oid: vb.oid, value: value.length === 0 ? 0n : BigInt(`0x${value.toString('hex')}`) };
  }
  if (Buffer.isBuffer(value)) return { oid: vb.oid, value: value.toString('utf8').replace(/\0+$/, '') };
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return { oid: vb.oid, value };
  return { oid: vb.oid, value: null };
}

function failure(err: Error, target: SnmpTarget): SnmpFailure {
  if (err.name === 'RequestTimedOutError') {
    return new SnmpFailure('timeout', `no SNMP answer from ${target.address}:${target.port} within ${target.timeoutMs} ms × ${target.retries + 1} tries`);
  }
  return new SnmpFailure('error', `SNMP request to ${target.address}:${target.port} failed: ${err.message}`);
}

export const connectSnmp: SnmpConnector = (target, onSocketError) => {
  const session = snmp.createSession(target.address, target.community, {
    port: target.port,
    version: snmp.Version2c,
    timeout: target.timeoutMs,
    retries: target.retries,
    transport: target.address.includes(':') ? 'udp6' : 'udp4',
  });
  // An unparsable datagram makes net-snmp emit 'error'; without a listener that would kill the console.
  session.on('error', (err) => onSocketError(err instanceof Error ? err : new Error(String(err))));
  let closed = false;
  return {
    get: (oids) =>
      new Promise((resolve, reject) => {
        session.get(oids, (err, varbinds) => (err ? reject(failure(err, target)) : resolve((varbinds ?? []).map(decodeVarbind))));
      }),
    walk: (oid, maxRows) =>
      new Promise((resolve, reject) => {
        const rows: RawVarbind[] = [];
        session.subtree(
          oid,
          25,
          (varbinds) => {
            for (const vb of varbinds) rows.push(decodeVarbind(vb));
            return rows.length >= maxRows;
          },
          (err) => (err ? reject(failure(err, target)) : resolve(rows.slice(0, maxRows))),
        );
      }),
    close() {
      if (closed) return;
      closed = true;
      try {
        session.close();
      } catch (err) {
        onSocketError(err as Error);
      }
    },
  };
};
