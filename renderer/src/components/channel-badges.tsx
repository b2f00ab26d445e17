/**
 * A channel's state by colour, icon and word (never colour alone), in the host states' colours so desk and wall read
 * as one; and the figures a channel row shows. A channel whose host went silent shows NO DATA: its last report is
 * not what is on air now.
 */
import type { ChannelStatus, DisplayState, HostView } from '../../../main/core/api';
import { durationText } from './duration';
import { StateIcon } from './state-badge';

export interface ChannelTone {
  tone: DisplayState;
  label: string;
}

export function channelTone(status: ChannelStatus, hostLive: boolean): ChannelTone {
  if (!hostLive) return { tone: 'unknown', label: 'NO DATA' };
  switch (status.state) {
    case 'running':
      return { tone: 'ok', label: 'RUNNING' };
    case 'starting':
      return { tone: 'attention', label: 'STARTING' };
    case 'backoff':
      return { tone: 'down', label: 'RESTARTING' };
    case 'stopped':
      return { tone: 'maintenance', label: 'STOPPED' };
    case 'config-error':
      // A typo on the host with the last good version still on air is a warning; with nothing on air it is an outage.
      return status.pid !== null ? { tone: 'attention', label: 'CONFIG ERROR' } : { tone: 'down', label: 'CONFIG ERROR' };
  }
}

/** The channels a host reports are live while its agent is connected and the detector does not hold it down. */
export function hostIsLive(host: HostView | undefined): boolean {
  return !!host && host.link === 'connected' && host.health !== 'down';
}

export function ChannelStateBadge({ status, hostLive, big = false }: { status: ChannelStatus; hostLive: boolean; big?: boolean }) {
  const { tone, label } = channelTone(status, hostLive);
  return (
    <span className={`badge state-${tone}${big ? ' badge-big' : ''}`} data-state={status.state} data-live={hostLive} title={status.reason ?? undefined}>
      <StateIcon state={tone} size={big ? 36 : 14} />
      <span>{label}</span>
    </span>
  );
}

/** Worst first: off the air, then at risk, then fine. */
export function channelRank(status: ChannelStatus, hostLive: boolean): number {
  const rank: Partial<Record<DisplayState, number>> = { down: 0, unknown: 1, attention: 2, maintenance: 3, ok: 4 };
  return rank[channelTone(status, hostLive).tone] ?? 1;
}

export function kbpsText(kbps: number | null): string {
  if (kbps === null) return '—';
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(2)} Mbit/s` : `${Math.round(kbps)} kbit/s`;
}

export function fpsText(fps: number | null): string {
  return fps === null ? '—' : String(Number(fps.toFixed(1)));
}

export function uptimeText(status: ChannelStatus): string {
  return status.uptimeMs === null ? '—' : durationText(status.uptimeMs);
}

export const shortHash = (hash: string | null) => (hash ? hash.slice(0, 12) : '—');
