/** One poll of a switch: system group, then each interface column. Never throws: a failure is a result. */
import {
  decodeInterfaces,
  decodeSystem,
  IF_COLUMNS,
  type IfColumn,
  type InterfaceSample,
  type RawVarbind,
  SYS_NAME_OID,
  SYS_UPTIME_OID,
  type SystemSample,
} from './if-mib';
import { type SnmpClient, SnmpFailure, type SnmpFailureKind } from './snmp-client';

export type SnmpPoll =
  | { ok: true; system: SystemSample; interfaces: InterfaceSample[] }
  | { ok: false; failure: { kind: SnmpFailureKind; message: string } };

/** A switch with more rows than this per column is cut there (and says so through the interface count). */
export const MAX_INTERFACES = 4096;

export async function pollSnmp(client: SnmpClient): Promise<SnmpPoll> {
  try {
    const system = decodeSystem(await client.get([SYS_UPTIME_OID, SYS_NAME_OID]));
    const columns: Partial<Record<IfColumn, RawVarbind[]>> = {};
    // One column at a time: gentler on a switch's CPU than a burst of parallel walks.
    for (const [column, oid] of Object.entries(IF_COLUMNS) as [IfColumn, string][]) {
      columns[column] = await client.walk(oid, MAX_INTERFACES);
    }
    return { ok: true, system, interfaces: decodeInterfaces(columns) };
  } catch (err) {
    if (err instanceof SnmpFailure) return { ok: false, failure: { kind: err.kind, message: err.message } };
    return { ok: false, failure: { kind: 'error', message: `SNMP poll failed: ${(err as Error).message}` } };
  } finally {
    client.close();
  }
}
