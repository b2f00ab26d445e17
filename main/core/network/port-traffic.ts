/**
 * Traffic history per switch port for the charts: bounded ring buffers (in and out bits/s per poll), kept only for
 * ports that are up or were seen up, at most MAX_TRACKED_PORTS per switch, and read back downsampled by averaging
 * (an average keeps the volume a chart shows; every k-th sample would show or hide bursts by chance).
 */
import { RingSeries } from '../metrics/ring-buffer';
import type { SwitchView } from './switch-view';

/** An hour at the default 5 s poll. */
export const TRAFFIC_CAPACITY = 720;
export const MAX_TRACKED_PORTS = 256;

type Point = [number, number, number];

interface PortSeries {
  inBps: RingSeries;
  outBps: RingSeries;
}

/** Averages consecutive samples into `maxPoints` buckets of (nearly) equal size; each stamped with its last sample's time. */
export function downsample(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints) return [...points];
  const out: Point[] = [];
  for (let b = 0; b < maxPoints; b++) {
    const bucket = points.slice(Math.floor((b * points.length) / maxPoints), Math.floor(((b + 1) * points.length) / maxPoints));
    const avg = (i: 1 | 2) => bucket.reduce((sum, p) => sum + p[i], 0) / bucket.length;
    out.push([bucket[bucket.length - 1]![0], Math.round(avg(1)), Math.round(avg(2))]);
  }
  return out;
}

export class PortTrafficStore {
  private readonly bySwitch = new Map<string, Map<number, PortSeries>>();

  constructor(private readonly capacity = TRAFFIC_CAPACITY) {}

  /** Records the rates of one poll (ports without a rate this time — first poll, counter reset — are skipped). */
  record(view: SwitchView): void {
    if (view.polledAt === null) return;
    let ports = this.bySwitch.get(view.id);
    if (!ports) this.bySwitch.set(view.id, (ports = new Map()));
    for (const port of view.ports) {
      if (port.inBps === null || port.outBps === null) continue;
      let series = ports.get(port.ifIndex);
      if (!series) {
        if (port.oper !== 'up' || ports.size >= MAX_TRACKED_PORTS) continue;
        ports.set(port.ifIndex, (series = { inBps: new RingSeries(this.capacity), outBps: new RingSeries(this.capacity) }));
      }
      const last = series.inBps.latest();
      if (last && last[0] >= view.polledAt) continue;
      series.inBps.push(view.polledAt, port.inBps);
      series.outBps.push(view.polledAt, port.outBps);
    }
  }

  read(switchId: string, maxPoints: number, ifIndex?: number): { ifIndex: number; points: Point[] }[] {
    const ports = this.bySwitch.get(switchId);
    if (!ports) return [];
    return [...ports.entries()]
      .filter(([i]) => ifIndex === undefined || i === ifIndex)
      .sort(([a], [b]) => a - b)
      .map(([i, s]) => {
        const ins = s.inBps.toArray();
        const outs = s.outBps.toArray();
        return { ifIndex: i, points: downsample(ins.map(([t, v], k): Point => [t, v, outs[k]?.[1] ?? 0]), maxPoints) };
      });
  }

  forget(switchId: string): void {
    this.bySwitch.delete(switchId);
  }
}
