import { displayState, type HostView } from '../../../main/core/api';
import type { AlarmSoundStatus } from './alarm-sound';
import { type Alert, isLoud, severityRank } from '../state/alerts-slice';
import type { Snapshot } from '../state/console-store';
import { SeverityIcon } from './severity-badge';
import { STATE_LABEL, StateIcon } from './state-badge';

const HOST_ALARM_STATES = new Set(['down', 'auth-failed', 'incompatible']);
const MAX_NAMED = 4;

function names(alerts: Alert[]): string {
  const shown = alerts.slice(0, MAX_NAMED).map((a) => a.summary);
  return alerts.length > MAX_NAMED ? `${shown.join(' · ')} · +${alerts.length - MAX_NAMED} more` : shown.join(' · ');
}

function hostNames(hosts: HostView[]): string {
  return hosts.map((h) => h.name).join(', ');
}

/**
 * The wall's one-line verdict, driven by the alerts: loud critical/major alerts pulse red (and sound); once
 * acknowledged they stay on the wall, steady amber, with who took them. Below that the hosts' state speaks, and
 * before alerts load the hosts decide alone.
 */
export function WallBanner({ snap, sound }: { snap: Snapshot; sound: AlarmSoundStatus }) {
  const { alerts } = snap;
  const loud = alerts.open.filter((a) => isLoud(a) && severityRank(a.severity) >= severityRank('major'));
  const acked = alerts.open.filter((a) => a.status === 'acknowledged' && a.suppressedBy === null);
  const minor = alerts.open.filter((a) => isLoud(a) && severityRank(a.severity) < severityRank('major'));
  const hostAlarms = alerts.loaded ? [] : snap.hosts.filter((h) => HOST_ALARM_STATES.has(displayState(h)));
  const attention = snap.hosts.filter((h) => displayState(h) === 'attention');
  const muted = alerts.alarm?.muted ?? false;

  if (loud.length > 0) {
    return (
      <div className="wall-banner wall-banner-alarm" role="alert" data-alarm="on">
        <SeverityIcon severity={loud[0]!.severity} size={44} />
        <span className="wall-banner-text">{loud.length === 1 ? `${loud[0]!.severity.toUpperCase()}: ${loud[0]!.summary}` : `${loud.length} alerts: ${names(loud)}`}</span>
        {muted && <span className="wall-banner-chip">ALARM MUTED</span>}
        {!muted && sound === 'blocked' && <span className="wall-banner-chip">SOUND BLOCKED — click to enable</span>}
      </div>
    );
  }
  if (hostAlarms.length > 0) {
    return (
      <div className="wall-banner wall-banner-alarm" role="alert" data-alarm="on">
        <StateIcon state="down" size={44} />
        <span className="wall-banner-text">
          {hostAlarms.length === 1 ? `${hostAlarms[0]!.name} is ${STATE_LABEL[displayState(hostAlarms[0]!)]}` : `${hostAlarms.length} hosts in alarm: ${hostNames(hostAlarms)}`}
        </span>
      </div>
    );
  }
  if (acked.length > 0) {
    const first = acked[0]!;
    return (
      <div className="wall-banner wall-banner-acked" role="status" data-alarm="off">
        <SeverityIcon severity={first.severity} size={40} />
        <span className="wall-banner-text">
          {acked.length === 1 ? `ACKNOWLEDGED by ${first.ack?.by ?? '?'}: ${first.summary}${first.ack?.comment ? ` — ${first.ack.comment}` : ''}` : `${acked.length} acknowledged: ${names(acked)}`}
        </span>
      </div>
    );
  }
  // Minor alerts and warnings do not take the headline from the hosts' state; the wall counts them and lists them on
  // its Alerts page.
  const minorChip = minor.length > 0 && <span className="wall-banner-chip">{minor.length === 1 ? '1 MINOR ALERT' : `${minor.length} MINOR ALERTS`}</span>;
  if (attention.length > 0) {
    return (
      <div className="wall-banner wall-banner-attention" role="status" data-alarm="off">
        <StateIcon state="attention" size={40} />
        <span className="wall-banner-text">{hostNames(attention)} need attention</span>
        {minorChip}
      </div>
    );
  }
  return (
    <div className="wall-banner wall-banner-ok" role="status" data-alarm="off">
      <StateIcon state="ok" size={40} />
      <span className="wall-banner-text">All {snap.hosts.length} hosts OK</span>
      {minorChip}
    </div>
  );
}
