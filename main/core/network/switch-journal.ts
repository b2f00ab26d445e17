/**
 * What a switch event means in the journal: how bad, and which hosts hang off a port that changed. Pure.
 */
import type { JournalInput } from '../journal/journal';
import type { SwitchEvent, SwitchState } from './switch-view';

const STATE_SEVERITY: Record<SwitchState, NonNullable<JournalInput['severity']>> = {
  unreachable: 'critical',
  'snmp-silent': 'major',
  error: 'major',
  unknown: 'info',
  up: 'info',
};

/** @param hostsOnPort names of the hosts whose uplink is that port of that switch. */
export function switchJournalEntry(event: SwitchEvent, hostsOnPort: (switchId: string, ifIndex: number) => string[]): JournalInput {
  const data = { ...event };
  switch (event.type) {
    case 'switch.state':
      return { kind: 'switch.state', severity: STATE_SEVERITY[event.to], message: event.message, data };
    case 'switch.restarted':
      return { kind: 'switch.restarted', severity: 'warning', message: event.message, data };
    case 'switch.port': {
      const hosts = hostsOnPort(event.switchId, event.ifIndex);
      const uplinkOf = hosts.length > 0 ? ` — uplink of ${hosts.join(', ')}` : '';
      // A server's cable matters; an unused port going up and down is only recorded.
      const severity = hosts.length > 0 && event.to !== 'up' ? 'warning' : 'info';
      return { kind: 'switch.port', severity, message: `${event.message}${uplinkOf}`, data: { ...data, hosts } };
    }
  }
}
