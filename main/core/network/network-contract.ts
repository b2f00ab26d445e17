/**
 * The UI contract of the network: switches (never with their SNMP community), the host → switch-port uplinks, each
 * host's reachability, per-port traffic, and the single-point-of-failure advisories. zod only, importable by the
 * renderer; api.ts spreads these maps in with one line each and puts HostNetwork on HostView.
 */
import { z } from 'zod';
import { Finding } from '../findings/finding';
import { SwitchPortRef, SwitchSpec } from './switch-spec';
import { SwitchView } from './switch-view';

const id = z.string().trim().min(1).max(64);

/** What the network says about a host with uplinks on record (a host without any has no verdict). */
export const HostReachability = z.enum(['reachable', 'degraded', 'unreachable', 'unknown']);
export type HostReachability = z.infer<typeof HostReachability>;

export const HostNetwork = z.object({
  reachability: HostReachability,
  /** Which uplinks are down and why, in words; null when all is well. */
  reason: z.string().nullable(),
  /** The switches that explain an unreachable host (its root cause). */
  causeSwitchIds: z.array(z.string()),
});
export type HostNetwork = z.infer<typeof HostNetwork>;

export const UplinkState = z.enum(['up', 'down', 'unknown']);

export const UplinkView = z.object({
  hostId: z.string(),
  hostName: z.string(),
  switchId: z.string(),
  port: SwitchPortRef,
  state: UplinkState,
  /** "lab-switch Gi1/0/3". */
  label: z.string(),
  reason: z.string().nullable(),
});
export type UplinkView = z.infer<typeof UplinkView>;

/** A switch as any UI sees it: its settings without the community, its last poll, and the hosts plugged into it. */
export const SwitchInfo = SwitchSpec.omit({ community: true }).extend({
  view: SwitchView,
  uplinks: z.array(UplinkView),
});
export type SwitchInfo = z.infer<typeof SwitchInfo>;

export const HostNetworkView = z.object({
  hostId: z.string(),
  hostName: z.string(),
  /** `unlinked`: no uplink recorded for this host. */
  reachability: z.union([HostReachability, z.literal('unlinked')]),
  reason: z.string().nullable(),
  uplinks: z.number().int().nonnegative(),
});
export type HostNetworkView = z.infer<typeof HostNetworkView>;

export const NetworkOverview = z.object({
  switches: z.array(SwitchInfo),
  hosts: z.array(HostNetworkView),
  /** Single points of failure, each with its fix. */
  advisories: z.array(Finding),
  /** Set when the stored switch list or uplinks could not all be read at start: the UI must say so. */
  storeProblem: z.string().nullable(),
});
export type NetworkOverview = z.infer<typeof NetworkOverview>;

/** [console time ms, in bits/s, out bits/s]. */
export const TrafficPoint = z.tuple([z.number(), z.number(), z.number()]);
export const PortTraffic = z.object({ ifIndex: z.number().int(), points: z.array(TrafficPoint) });
export type PortTraffic = z.infer<typeof PortTraffic>;

const { shape } = SwitchSpec;
/** A change to a switch: only the fields given change (no defaults are filled in, unlike SwitchSpec). */
export const SwitchPatch = z
  .object({
    name: shape.name.optional(),
    address: shape.address.optional(),
    snmpPort: shape.snmpPort.removeDefault().optional(),
    community: shape.community.optional(),
    pollMs: shape.pollMs.removeDefault().optional(),
    timeoutMs: shape.timeoutMs.removeDefault().optional(),
    retries: shape.retries.removeDefault().optional(),
    icmp: shape.icmp.removeDefault().optional(),
  })
  .strict();
export type SwitchPatch = z.infer<typeof SwitchPatch>;

/** A new switch; without an id one is made from the name. */
export const NewSwitch = SwitchSpec.extend({ id: id.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore').optional() }).strict();

export const MAX_UPLINKS_PER_HOST = 8;

export const networkQueries = {
  'network.overview': { input: z.object({}).strict(), output: NetworkOverview },
  'switch.traffic': {
    input: z.object({ switchId: id, ifIndex: z.number().int().positive().optional(), maxPoints: z.number().int().min(10).max(720).default(120) }).strict(),
    output: z.object({ switchId: z.string(), ports: z.array(PortTraffic) }),
  },
} as const;

export const networkCommands = {
  'switch.add': { input: NewSwitch, output: SwitchInfo },
  'switch.update': { input: z.object({ id, patch: SwitchPatch }).strict(), output: SwitchInfo },
  /** Removes the switch and every uplink recorded on it. */
  'switch.remove': { input: z.object({ id }).strict(), output: z.object({ removed: z.string(), uplinksRemoved: z.number().int() }) },
  /** Polls the switch now (the poll under way, if there is one) and answers with the result. */
  'switch.poll': { input: z.object({ id }).strict(), output: SwitchInfo },
  /** Replaces the uplinks of one host ([] unlinks it). */
  'host.uplinks.set': {
    input: z.object({ hostId: id, uplinks: z.array(z.object({ switchId: id, port: SwitchPortRef }).strict()).max(MAX_UPLINKS_PER_HOST) }).strict(),
    output: z.array(UplinkView),
  },
} as const;

export const networkEvents = {
  /** The overview again after a poll or a change of the uplinks, hosts or advisories (coalesced: at most once a second). */
  'network.changed': NetworkOverview,
} as const;

export type NetworkQueryName = keyof typeof networkQueries;
export type NetworkCommandName = keyof typeof networkCommands;
