/**
 * What the inventory records about switches and the hosts plugged into them. zod only (api.ts can re-export it).
 * A host uplink names the switch port by ifIndex (a number) or by name (matched against ifName, then ifDescr, then
 * ifAlias), since operators know ports as "Gi1/0/12" and some switches renumber ifIndex on reboot.
 */
import { z } from 'zod';

const id = z.string().trim().min(1).max(64);

export const SwitchSpec = z.object({
  id,
  name: z.string().trim().min(1, 'a name is required').max(64),
  /** Management address (IP or DNS name) for SNMP and ping; it is passed to ping as an argument, so no leading dash. */
  address: z
    .string()
    .trim()
    .min(1, 'a management address is required')
    .max(253)
    .regex(/^[A-Za-z0-9[][A-Za-z0-9.:[\]_-]*$/, 'an IP address or host name'),
  snmpPort: z.number().int().min(1).max(65535).default(161),
  /** SNMP v2c read community. Never shown to viewers. */
  community: z.string().min(1, 'the read community is required').max(128),
  pollMs: z.number().int().min(500).max(300_000).default(5000),
  timeoutMs: z.number().int().min(100).max(30_000).default(2000),
  retries: z.number().int().min(0).max(5).default(1),
  /** Ping the management address too, to tell "switch dead" from "SNMP not answering". */
  icmp: z.boolean().default(true),
});
export type SwitchSpec = z.infer<typeof SwitchSpec>;
export type SwitchSpecInput = z.input<typeof SwitchSpec>;

export const SwitchPortRef = z.union([z.number().int().positive(), z.string().trim().min(1).max(128)]);
export type SwitchPortRef = z.infer<typeof SwitchPortRef>;

/** One cable: host → switch port. A host with two NICs on two switches has two uplinks. */
export const HostUplink = z.object({
  hostId: id,
  switchId: id,
  port: SwitchPortRef,
});
export type HostUplink = z.infer<typeof HostUplink>;
