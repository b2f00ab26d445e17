/**
 * A switch as any UI sees it, and what changed about it. zod only (api.ts can re-export it); the community is never
 * part of a view.
 */
import { z } from 'zod';
import { IF_STATUS } from './if-mib';

/**
 * up: SNMP answers. snmp-silent: ping answers but SNMP does not (wrong community, an ACL, the SNMP agent down).
 * unreachable: neither answers (or SNMP is silent and ping is off) — the switch is presumed dead.
 * error: SNMP answered something unusable. unknown: not polled yet.
 */
export const SwitchState = z.enum(['unknown', 'up', 'snmp-silent', 'unreachable', 'error']);
export type SwitchState = z.infer<typeof SwitchState>;

export const IfStatusSchema = z.enum(IF_STATUS);

const ratePerSec = z.number().nonnegative().nullable();

export const PortView = z.object({
  ifIndex: z.number().int().positive(),
  name: z.string().nullable(),
  descr: z.string().nullable(),
  alias: z.string().nullable(),
  speedBps: z.number().nonnegative().nullable(),
  admin: IfStatusSchema,
  oper: IfStatusSchema,
  /** Console time when the oper status was last seen to change (null: unchanged since monitoring began). */
  operChangedAt: z.number().nullable(),
  /** bits/s over the last poll interval; null on the first poll and after a counter reset. */
  inBps: ratePerSec,
  outBps: ratePerSec,
  inErrorsPerSec: ratePerSec,
  outErrorsPerSec: ratePerSec,
  inDiscardsPerSec: ratePerSec,
  outDiscardsPerSec: ratePerSec,
});
export type PortView = z.infer<typeof PortView>;

export const SwitchView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  state: SwitchState,
  stateSince: z.number(),
  /** Why the state is not `up`, in words. */
  error: z.string().nullable(),
  sysName: z.string().nullable(),
  uptimeSec: z.number().nonnegative().nullable(),
  /** Console time of the last restart seen while monitoring (from sysUpTime). */
  lastRestartAt: z.number().nullable(),
  /** Console time of the last SNMP answer. */
  polledAt: z.number().nullable(),
  rttMs: z.number().nonnegative().nullable(),
  ports: z.array(PortView),
});
export type SwitchView = z.infer<typeof SwitchView>;

export const SwitchEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('switch.state'), switchId: z.string(), from: SwitchState, to: SwitchState, message: z.string() }),
  z.object({ type: z.literal('switch.restarted'), switchId: z.string(), bootAt: z.number(), message: z.string() }),
  z.object({
    type: z.literal('switch.port'),
    switchId: z.string(),
    ifIndex: z.number().int(),
    from: IfStatusSchema,
    to: IfStatusSchema,
    message: z.string(),
  }),
]);
export type SwitchEvent = z.infer<typeof SwitchEvent>;
