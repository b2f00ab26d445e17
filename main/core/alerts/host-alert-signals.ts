/**
 * What a change of a host's view means to the alert engine: health → the `host:<id>:health` alert, the agent link
 * (token rejected, incompatible protocol) → the `host:<id>:link` alert, the maintenance role → suppression.
 * Pure: the console calls it with the view before and after each change and feeds the events to the engine.
 */
import type { HostView } from '../api';
import type { AlertEvent } from './alert-schemas';

/** The part of a host's view the alerts depend on. */
export type HostSignalView = Pick<HostView, 'id' | 'name' | 'role' | 'health' | 'link' | 'linkError'>;

export const hostHealthKey = (hostId: string): string => `host:${hostId}:health`;
export const hostLinkKey = (hostId: string): string => `host:${hostId}:link`;
/** Silence matcher prefix for everything about one host. */
export const hostKeyPrefix = (hostId: string): string => `host:${hostId}:`;

export function hostAlertEvents(before: HostSignalView | undefined, after: HostSignalView): AlertEvent[] {
  return [...maintenanceEvents(before, after), ...healthEvents(before, after), ...linkEvents(before, after)];
}

export function hostRemovedEvents(hostId: string, operator: string | null): AlertEvent[] {
  return [{ type: 'host.removed', hostId, operator }];
}

function maintenanceEvents(before: HostSignalView | undefined, after: HostSignalView): AlertEvent[] {
  const was = before?.role === 'maintenance';
  const is = after.role === 'maintenance';
  return was === is ? [] : [{ type: 'maintenance', hostId: after.id, on: is }];
}

function healthEvents(before: HostSignalView | undefined, after: HostSignalView): AlertEvent[] {
  if (before?.health === after.health) return [];
  const key = hostHealthKey(after.id);
  const raise = { type: 'raise' as const, key, kind: 'host.health', hostId: after.id };
  switch (after.health) {
    case 'down':
      return [{ ...raise, severity: 'critical', summary: `${after.name} is down`, hostDown: true }];
    case 'attention':
      return [{ ...raise, severity: 'warning', summary: `${after.name} missed heartbeats`, hostDown: false }];
    case 'ok':
      return [{ type: 'clear', key }];
    case 'unknown':
      return [];
  }
}

function linkEvents(before: HostSignalView | undefined, after: HostSignalView): AlertEvent[] {
  if (before?.link === after.link) return [];
  const key = hostLinkKey(after.id);
  const raise = { type: 'raise' as const, key, kind: 'host.link', severity: 'major' as const, hostId: after.id, hostDown: false };
  const detail = after.linkError ? `: ${after.linkError}` : '';
  switch (after.link) {
    case 'auth-failed':
      return [{ ...raise, summary: `${after.name}: the agent refused the console's token${detail}` }];
    case 'incompatible':
      return [{ ...raise, summary: `${after.name}: the agent speaks an incompatible protocol${detail}` }];
    case 'connected':
      return [{ type: 'clear', key }];
    case 'connecting':
    case 'disconnected':
      return [];
  }
}
