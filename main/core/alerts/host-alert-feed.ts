/**
 * Turns what the fleet monitor sees into alert events: health and link changes at once (its listeners), role
 * changes and removed hosts on the next reconcile (the alerts module runs one every tick). It remembers one small
 * signal view per host, no more.
 *
 * While the console is isolated (most of the fleet silent at once) a host's "attention" says more about the console
 * than about the host: it is held back — the module raises one console alert instead of a storm — and sent, if it
 * still holds, once the console hears the fleet again.
 */
import type { FleetMonitor, HostRuntime } from '../fleet/fleet-monitor';
import type { AlertEvent } from './alert-schemas';
import { hostAlertEvents, hostRemovedEvents, type HostSignalView } from './host-alert-signals';

export interface HostAlertFeed {
  /** Compares every host with what was last seen; sends what changed and what disappeared. */
  reconcile(): void;
  stop(): void;
}

export function feedHostAlerts(fleet: FleetMonitor, send: (event: AlertEvent) => void): HostAlertFeed {
  const isolated = () => fleet.fleetStatus().isolated;
  const seen = new Map<string, HostSignalView>();

  const update = (rt: HostRuntime) => {
    const after = signalOf(rt, isolated());
    const before = seen.get(after.id);
    if (before && sameSignal(before, after)) return;
    seen.set(after.id, after);
    for (const event of hostAlertEvents(before, after)) send(event);
  };

  const unsubscribe = [fleet.onHealthChange((rt) => update(rt)), fleet.onLinkChange((rt) => update(rt))];

  return {
    reconcile() {
      const present = new Set<string>();
      for (const rt of fleet.all()) {
        present.add(rt.host.id);
        update(rt);
      }
      for (const id of [...seen.keys()]) {
        if (present.has(id)) continue;
        seen.delete(id);
        for (const event of hostRemovedEvents(id, null)) send(event);
      }
    },
    stop() {
      for (const off of unsubscribe) off();
      seen.clear();
    },
  };
}

function signalOf(rt: HostRuntime, consoleIsolated: boolean): HostSignalView {
  const health = consoleIsolated && rt.health.state === 'attention' ? 'unknown' : rt.health.state;
  return { id: rt.host.id, name: rt.host.name, role: rt.host.role, health, link: rt.linkState, linkError: rt.linkError };
}

function sameSignal(a: HostSignalView, b: HostSignalView): boolean {
  return a.name === b.name && a.role === b.role && a.health === b.health && a.link === b.link && a.linkError === b.linkError;
}
