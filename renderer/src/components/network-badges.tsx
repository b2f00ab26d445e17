/**
 * States of origins, streams, switches and ports, each by colour, icon and word (never colour alone), and the figures
 * they show (bit rates, uptimes). The colours are the host states' (state-ok, state-down, …) so a wall reads as one.
 */
import type { DisplayState } from '../../../main/core/api';
import type { OriginColumn, PortView, SwitchInfo } from '../state/network-slice';
import { StateIcon } from './state-badge';

function Badge({ tone, label, big = false, title }: { tone: DisplayState; label: string; big?: boolean; title?: string }) {
  return (
    <span className={`badge state-${tone}${big ? ' badge-big' : ''}`} data-state={label} title={title}>
      <StateIcon state={tone} size={big ? 36 : 14} />
      <span>{label}</span>
    </span>
  );
}

type SwitchState = SwitchInfo['view']['state'];
const SWITCH: Record<SwitchState, [DisplayState, string]> = {
  up: ['ok', 'UP'],
  'snmp-silent': ['attention', 'SNMP SILENT'],
  unreachable: ['down', 'UNREACHABLE'],
  error: ['attention', 'SNMP ERROR'],
  unknown: ['unknown', 'NOT POLLED YET'],
};
export const switchTone = (state: SwitchState): DisplayState => SWITCH[state][0];

export function SwitchStateBadge({ state, big, title }: { state: SwitchState; big?: boolean; title?: string }) {
  const [tone, label] = SWITCH[state];
  return <Badge tone={tone} label={label} big={big} title={title} />;
}

const ORIGIN: Record<OriginColumn['state'], [DisplayState, string]> = {
  ok: ['ok', 'OK'],
  'api-error': ['down', 'API ERROR'],
  'host-down': ['down', 'HOST DOWN'],
  'no-report': ['unknown', 'NO REPORT'],
  starting: ['unknown', 'STARTING'],
};

export function OriginStateBadge({ state, title }: { state: OriginColumn['state']; title?: string }) {
  const [tone, label] = ORIGIN[state];
  return <Badge tone={tone} label={label} title={title} />;
}

/** A stream against its rule: live on enough origins, below the minimum, or off the air. */
export function redundancyOf(live: number, min: number): { tone: DisplayState; label: string } {
  if (live >= min) return { tone: 'ok', label: `OK ${live}/${min}` };
  if (live === 0) return { tone: 'down', label: 'OFF AIR' };
  return { tone: 'attention', label: `BELOW MIN ${live}/${min}` };
}

export function RedundancyBadge({ live, min, big }: { live: number; min: number; big?: boolean }) {
  const { tone, label } = redundancyOf(live, min);
  return <Badge tone={tone} label={label} big={big} />;
}

/** A port: oper state first, with "admin down" when someone shut it. */
export function portStateOf(port: Pick<PortView, 'oper' | 'admin'>): { tone: DisplayState; label: string } {
  if (port.admin === 'down') return { tone: 'maintenance', label: 'ADMIN DOWN' };
  if (port.oper === 'up') return { tone: 'ok', label: 'UP' };
  if (port.oper === 'down' || port.oper === 'lowerLayerDown') return { tone: 'down', label: port.oper === 'down' ? 'DOWN' : 'LOWER LAYER DOWN' };
  return { tone: 'unknown', label: port.oper.toUpperCase() };
}

export function PortStateBadge({ port }: { port: Pick<PortView, 'oper' | 'admin'> }) {
  const { tone, label } = portStateOf(port);
  return <Badge tone={tone} label={label} />;
}

export function formatBps(bps: number | null | undefined): string {
  if (bps === null || bps === undefined) return '—';
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(2)} Gbit/s`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(1)} Mbit/s`;
  if (bps >= 1e3) return `${Math.round(bps / 1e3)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

export function formatKbps(kbps: number | null): string {
  return kbps === null ? '—' : formatBps(kbps * 1000);
}

export function formatUptime(sec: number | null): string {
  if (sec === null) return '—';
  const d = Math.floor(sec / 86_400);
  const h = Math.floor((sec % 86_400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${sec % 60}s`;
}

export function portName(port: Pick<PortView, 'ifIndex' | 'name' | 'descr'>): string {
  return port.name ?? port.descr ?? `ifIndex ${port.ifIndex}`;
}
