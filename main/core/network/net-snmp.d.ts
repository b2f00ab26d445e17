/** The small part of net-snmp (which ships no types) that network/snmp-client.ts uses. */
declare module 'net-snmp' {
  export interface Varbind {
    oid: string;
    type: number;
    /** Numbers for integer types, Buffer for OctetString and Counter64, string for OIDs and IP addresses. */
    value: unknown;
  }

  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    backoff?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
  }

  export interface Session {
    get(oids: string[], callback: (error: Error | null, varbinds?: Varbind[]) => void): Session;
    subtree(
      oid: string,
      maxRepetitions: number,
      feed: (varbinds: Varbind[]) => boolean | void,
      done: (error: Error | null) => void,
    ): Session;
    close(): Session;
    on(event: 'error' | 'close', listener: (error?: Error) => void): Session;
  }

  export const Version1: number;
  export const Version2c: number;
  export const ObjectType: Record<string, number>;

  export function createSession(target: string, community: string, options?: SessionOptions): Session;
  export function isVarbindError(varbind: Varbind): boolean;
  export function varbindError(varbind: Varbind): string;
}
