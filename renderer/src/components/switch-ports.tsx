/**
 * A switch's ports as a grid (oper/admin state, speed, traffic, errors and discards, the hosts plugged in, a small
 * traffic line) and the traffic chart of one port. Charts draw the bounded history the store keeps.
 */
import { memo } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PortView, SwitchInfo, TrafficPoint, UplinkView } from '../state/network-slice';
import { formatBps, PortStateBadge, portName, portStateOf } from './network-badges';

/** Two lines (in, out) scaled to the larger: cheap SVG, fine for hundreds of tiles. */
export function TrafficSpark({ points, label, width = 120, height = 26 }: { points: readonly TrafficPoint[]; label: string; width?: number; height?: number }) {
  if (points.length < 2) return <svg width={width} height={height} role="img" aria-label={`${label}: no traffic history yet`} />;
  const max = Math.max(1, ...points.map((p) => Math.max(p[1], p[2])));
  const line = (i: 1 | 2) =>
    points.map((p, k) => `${((k / (points.length - 1)) * width).toFixed(1)},${(height - 1 - (p[i] / max) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} className="traffic-spark" role="img" aria-label={`${label} traffic, peak ${formatBps(max)}`}>
      <polyline points={line(1)} className="spark-in" fill="none" strokeWidth="1.5" />
      <polyline points={line(2)} className="spark-out" fill="none" strokeWidth="1.5" />
    </svg>
  );
}

const rate = (perSec: number | null) => (perSec === null ? '—' : perSec === 0 ? '0' : perSec < 1 ? perSec.toFixed(2) : perSec.toFixed(0));
/** In + out; null when neither direction has a rate yet (first poll, counter reset). */
const both = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

export const PortTile = memo(function PortTile(props: { port: PortView; uplinks: UplinkView[]; points: readonly TrafficPoint[]; selected: boolean; onSelect(ifIndex: number): void }) {
  const { port } = props;
  const { tone } = portStateOf(port);
  const errors = both(port.inErrorsPerSec, port.outErrorsPerSec);
  const discards = both(port.inDiscardsPerSec, port.outDiscardsPerSec);
  const bad = (errors ?? 0) > 0 || (discards ?? 0) > 0;
  return (
    <button
      type="button"
      className={`port state-${tone}${props.selected ? ' selected' : ''}${bad ? ' port-errors' : ''}`}
      data-port={portName(port)}
      aria-pressed={props.selected}
      onClick={() => props.onSelect(port.ifIndex)}
    >
      <span className="port-head">
        <span className="port-name">{portName(port)}</span>
        <span className="muted">#{port.ifIndex}</span>
      </span>
      <PortStateBadge port={port} />
      {port.alias && <span className="muted port-alias">{port.alias}</span>}
      <span className="port-rates">
        <span title="in">↓ {formatBps(port.inBps)}</span>
        <span title="out">↑ {formatBps(port.outBps)}</span>
      </span>
      <TrafficSpark points={props.points} label={portName(port)} />
      <span className={`port-errs${bad ? ' bad' : ''}`}>
        {bad ? '⚠ ' : ''}err {rate(errors)}/s · disc {rate(discards)}/s
      </span>
      {props.uplinks.length > 0 && <span className="port-hosts">⇄ {props.uplinks.map((u) => u.hostName).join(', ')}</span>}
    </button>
  );
});

export function PortGrid(props: { sw: SwitchInfo; traffic: ReadonlyMap<number, readonly TrafficPoint[]> | undefined; selected: number | null; onSelect(ifIndex: number): void }) {
  const { sw } = props;
  const byPort = new Map<number, UplinkView[]>();
  for (const u of sw.uplinks) {
    const port = typeof u.port === 'number' ? sw.view.ports.find((p) => p.ifIndex === u.port) : sw.view.ports.find((p) => [p.name, p.descr, p.alias].some((n) => n?.toLowerCase() === String(u.port).toLowerCase()));
    if (port) byPort.set(port.ifIndex, [...(byPort.get(port.ifIndex) ?? []), u]);
  }
  if (sw.view.ports.length === 0) return <p className="empty">No ports yet: the switch has not answered SNMP.</p>;
  return (
    <div className={`port-grid${sw.view.state === 'up' ? '' : ' stale'}`} aria-label={`ports of ${sw.name}`}>
      {sw.view.ports.map((p) => (
        <PortTile key={p.ifIndex} port={p} uplinks={byPort.get(p.ifIndex) ?? []} points={props.traffic?.get(p.ifIndex) ?? EMPTY} selected={props.selected === p.ifIndex} onSelect={props.onSelect} />
      ))}
    </div>
  );
}

const EMPTY: readonly TrafficPoint[] = [];

export function PortChart({ port, points }: { port: PortView; points: readonly TrafficPoint[] }) {
  const data = points.map(([t, inBps, outBps]) => ({ t, in: inBps / 1e6, out: outBps / 1e6 }));
  const minutes = points.length > 1 ? Math.round((points.at(-1)![0] - points[0]![0]) / 60_000) : 0;
  return (
    <div className="port-chart" aria-label={`${portName(port)} traffic chart`}>
      <h3>
        {portName(port)} traffic, Mbit/s — last {minutes} min ({points.length} polls)
        {port.speedBps ? ` · port speed ${formatBps(port.speedBps)}` : ''}
      </h3>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: -12 }}>
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => new Date(t).toLocaleTimeString()} tick={{ fill: '#9aa4b2', fontSize: 11 }} />
          <YAxis tick={{ fill: '#9aa4b2', fontSize: 11 }} />
          <Tooltip contentStyle={{ background: '#1b2028', border: '1px solid #333' }} labelFormatter={(t) => new Date(Number(t)).toLocaleTimeString()} formatter={(v) => `${Number(v).toFixed(2)} Mbit/s`} />
          <Line type="monotone" dataKey="in" name="in" stroke="#4fb3ff" dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="out" name="out" stroke="#c792ea" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
