/**
 * SNMPv2-MIB system group and IF-MIB ifTable/ifXTable: the OIDs polled and pure decoders from raw varbinds to a
 * switch sample. The SNMP client turns net-snmp's Buffers into strings and bigints first, so nothing here knows net-snmp.
 */

export const SYS_UPTIME_OID = '1.3.6.1.2.1.1.3.0';
export const SYS_NAME_OID = '1.3.6.1.2.1.1.5.0';
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';

/** The columns polled, by the name used in InterfaceSample. */
export const IF_COLUMNS = {
  descr: `${IF_ENTRY}.2`,
  type: `${IF_ENTRY}.3`,
  speed: `${IF_ENTRY}.5`,
  adminStatus: `${IF_ENTRY}.7`,
  operStatus: `${IF_ENTRY}.8`,
  lastChange: `${IF_ENTRY}.9`,
  inOctets: `${IF_ENTRY}.10`,
  inDiscards: `${IF_ENTRY}.13`,
  inErrors: `${IF_ENTRY}.14`,
  outOctets: `${IF_ENTRY}.16`,
  outDiscards: `${IF_ENTRY}.19`,
  outErrors: `${IF_ENTRY}.20`,
  name: `${IFX_ENTRY}.1`,
  hcInOctets: `${IFX_ENTRY}.6`,
  hcOutOctets: `${IFX_ENTRY}.10`,
  highSpeed: `${IFX_ENTRY}.15`,
  alias: `${IFX_ENTRY}.18`,
} as const;
export type IfColumn = keyof typeof IF_COLUMNS;

/** A varbind after the client decoded it: integers as number, Counter64 as bigint, octet strings as text. */
export interface RawVarbind {
  oid: string;
  value: number | bigint | string | null;
}

export const IF_STATUS = ['up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown'] as const;
export type IfStatus = (typeof IF_STATUS)[number];

export interface CounterValue {
  value: bigint;
  bits: 32 | 64;
}

export interface InterfaceSample {
  ifIndex: number;
  name: string | null;
  descr: string | null;
  alias: string | null;
  type: number | null;
  /** From ifHighSpeed (Mbit/s) when set, else ifSpeed (bit/s, capped at 4.29 Gbit/s by its 32 bits). */
  speedBps: number | null;
  admin: IfStatus;
  oper: IfStatus;
  /** sysUpTime (centiseconds) at the last oper status change. */
  lastChangeCs: number | null;
  /** HC (64-bit) counters when the switch has them, else the 32-bit ones. */
  inOctets: CounterValue | null;
  outOctets: CounterValue | null;
  inErrors: CounterValue | null;
  outErrors: CounterValue | null;
  inDiscards: CounterValue | null;
  outDiscards: CounterValue | null;
}

export interface SystemSample {
  sysName: string | null;
  /** Centiseconds since the SNMP agent (re)started; a 32-bit TimeTicks that wraps after ~497 days. */
  sysUpTimeCs: number | null;
}

export function decodeSystem(varbinds: readonly RawVarbind[]): SystemSample {
  const byOid = new Map(varbinds.map((v) => [v.oid, v.value]));
  const upTime = byOid.get(SYS_UPTIME_OID);
  const name = byOid.get(SYS_NAME_OID);
  return {
    sysName: typeof name === 'string' ? name : null,
    sysUpTimeCs: typeof upTime === 'number' ? upTime : null,
  };
}

export function ifStatus(value: number | bigint | string | null | undefined): IfStatus {
  const n = typeof value === 'number' ? value : Number.NaN;
  return IF_STATUS[n - 1] ?? 'unknown';
}

function counter(value: RawVarbind['value'] | undefined, bits: 32 | 64): CounterValue | null {
  if (typeof value === 'bigint') return { value, bits };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { value: BigInt(value), bits };
  return null;
}

const text = (value: RawVarbind['value'] | undefined): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const int = (value: RawVarbind['value'] | undefined): number | null => (typeof value === 'number' ? value : null);

/** Rows of the interface tables from the walked columns, keyed by ifIndex (the OID suffix). */
export function decodeInterfaces(columns: Partial<Record<IfColumn, readonly RawVarbind[]>>): InterfaceSample[] {
  const rows = new Map<number, Partial<Record<IfColumn, RawVarbind['value']>>>();
  for (const [column, varbinds] of Object.entries(columns) as [IfColumn, readonly RawVarbind[]][]) {
    const prefix = `${IF_COLUMNS[column]}.`;
    for (const vb of varbinds) {
      if (!vb.oid.startsWith(prefix)) continue;
      const ifIndex = Number(vb.oid.slice(prefix.length));
      if (!Number.isInteger(ifIndex) || ifIndex <= 0) continue;
      const row = rows.get(ifIndex) ?? {};
      row[column] = vb.value;
      rows.set(ifIndex, row);
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ifIndex, row]) => {
      const highSpeed = int(row.highSpeed);
      const speed = int(row.speed);
      return {
        ifIndex,
        name: text(row.name),
        descr: text(row.descr),
        alias: text(row.alias),
        type: int(row.type),
        speedBps: highSpeed && highSpeed > 0 ? highSpeed * 1_000_000 : speed && speed > 0 ? speed : null,
        admin: ifStatus(row.adminStatus),
        oper: ifStatus(row.operStatus),
        lastChangeCs: int(row.lastChange),
        inOctets: counter(row.hcInOctets, 64) ?? counter(row.inOctets, 32),
        outOctets: counter(row.hcOutOctets, 64) ?? counter(row.outOctets, 32),
        inErrors: counter(row.inErrors, 32),
        outErrors: counter(row.outErrors, 32),
        inDiscards: counter(row.inDiscards, 32),
        outDiscards: counter(row.outDiscards, 32),
      };
    });
}

export interface PortNames {
  ifIndex: number;
  name: string | null;
  descr: string | null;
  alias: string | null;
}

/** A port by ifIndex, or by name against ifName, then ifDescr, then ifAlias (exact, then case-insensitive). */
export function findInterface<T extends PortNames>(interfaces: readonly T[], port: number | string): T | undefined {
  if (typeof port === 'number') return interfaces.find((i) => i.ifIndex === port);
  const fields = ['name', 'descr', 'alias'] as const;
  for (const field of fields) {
    const hit = interfaces.find((i) => i[field] === port);
    if (hit) return hit;
  }
  const lower = port.toLowerCase();
  for (const field of fields) {
    const hit = interfaces.find((i) => i[field]?.toLowerCase() === lower);
    if (hit) return hit;
  }
  return undefined;
}
