/**
 * The demo plant's origins and switch: two real nginx-rtmp origins (127.0.0.5 and 127.0.0.8) whose agents run the
 * origin role, ffmpeg test publishers feeding them (two streams on both origins, one on origin-1 alone under its own
 * rule), and a real snmpd as the plant's switch. A part whose program is missing is left out with a note, so the
 * rest of the demo still starts. Imports nothing from main/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { LAB_ARCHIVE_PORTS, startLabChannelSource, withArchiveHosts } from './archive-lab';
import type { DemoHost } from './demo-plant';
import { type NginxRtmpOrigin, nginxRtmpMissing, type OriginsLab, startOriginsLab } from './origins-lab';
import { demoUplinks, findSnmpd, type LabSnmpd, startDemoSwitch } from './switch-lab';

/**
 * Which origins (by index in the origins lab) each demo stream is published to. live/music sits on one origin under
 * its own rule (minOrigins 1), so "what goes dark if origin-1 dies" has an answer without the demo alarming forever.
 */
export const DEMO_STREAMS: { app: string; name: string; origins: number[]; minOrigins?: number }[] = [
  { app: 'live', name: 'news', origins: [0, 1] },
  { app: 'live', name: 'sport', origins: [0, 1] },
  { app: 'live', name: 'music', origins: [0], minOrigins: 1 },
];

const ORIGIN_HOSTS: Omit<DemoHost, 'extra'>[] = [
  { name: 'origin-1', ip: '127.0.0.5', kind: 'origin', role: 'main', group: 'origins', roles: ['system', 'origin'] },
  { name: 'origin-2', ip: '127.0.0.8', kind: 'origin', role: 'main', group: 'origins', roles: ['system', 'origin'] },
];

export interface DemoExtras {
  readonly origins: NginxRtmpOrigin[];
  readonly switch: LabSnmpd | null;
  /** What was left out and why, one line each. */
  readonly notes: string[];
  /** The plant with origin-1 and origin-2 reading the lab's origins (unchanged when there are none). */
  plantHosts(base: readonly DemoHost[]): DemoHost[];
  /** Uplinks for the plant's hosts, by host name: every demo host is on the lab switch's `lo`. */
  uplinksByName(hostNames: readonly string[]): { hostName: string; switchId: string; port: string }[];
  stop(): Promise<void>;
}

interface Publisher {
  stop(): Promise<void>;
}

/** One ffmpeg per stream, pushed to several origins at once with the tee muxer; an origin that dies is skipped. */
function startPublisher(urls: string[], log: (line: string) => void): Publisher {
  const outputs = urls.map((u) => `[f=flv:onfail=ignore]${u}`).join('|');
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=15',
    '-f', 'lavfi', '-i', 'sine=frequency=880:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '30', '-b:v', '250k',
    '-c:a', 'aac', '-b:a', '64k', '-map', '0:v', '-map', '1:a', '-f', 'tee', outputs,
  ];
  const child: ChildProcess = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stopping = false;
  child.on('error', (err) => log(`demo publisher could not start: ${err.message}`));
  child.stderr?.on('data', (chunk: Buffer) => log(`demo publisher ${urls[0]}: ${chunk.toString().trim().slice(0, 300)}`));
  child.on('exit', (code, signal) => {
    if (!stopping) log(`demo publisher ${urls.join(', ')} exited (${code ?? signal})`);
  });
  return {
    stop: () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

export async function startDemoExtras(dir: string, log: (line: string) => void = () => {}): Promise<DemoExtras> {
  const notes: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  let origins: OriginsLab | null = null;
  let labSwitch: LabSnmpd | null = null;
  const publishers: Publisher[] = [];
  try {
    const missing = nginxRtmpMissing();
    if (missing) notes.push(`demo origins left out: ${missing}`);
    else {
      origins = await startOriginsLab({ dir: path.join(dir, 'origins') });
      stops.push(() => origins!.stop());
      for (const s of DEMO_STREAMS) publishers.push(startPublisher(s.origins.map((i) => origins!.origins[i]!.rtmpUrl(s.app, s.name)), log));
      stops.push(async () => void (await Promise.all(publishers.map((p) => p.stop()))));
    }
    // The archive lab channel: archive-a records it, archive-b replicates it (archive-lab.ts).
    const archiveSource = startLabChannelSource({ ports: Object.values(LAB_ARCHIVE_PORTS), ffmpegPath: 'ffmpeg' });
    archiveSource.process.on('error', (err) => log(`demo archive channel could not start: ${err.message}`));
    stops.push(() => (archiveSource.process.pid === undefined ? Promise.resolve() : archiveSource.stop()));
    if (!findSnmpd()) notes.push('demo switch left out: snmpd is not installed (apt package snmpd)');
    else {
      labSwitch = await startDemoSwitch({ dir: path.join(dir, 'switch') });
      stops.push(() => labSwitch!.stop());
    }
  } catch (err) {
    await stop();
    throw err;
  }
  for (const note of notes) log(note);
  const running = origins?.origins ?? [];
  return {
    origins: running,
    switch: labSwitch,
    notes,
    plantHosts(given) {
      const base = withArchiveHosts(dir, given);
      if (running.length === 0) return base;
      const withOrigins = ORIGIN_HOSTS.map((h, i) => ({ ...h, extra: running[i]!.agentConfig(1000) }));
      const replaced = base.map((h) => withOrigins.find((o) => o.name === h.name) ?? h);
      return [...replaced, ...withOrigins.filter((o) => !base.some((h) => h.name === o.name))];
    },
    uplinksByName(hostNames) {
      if (!labSwitch) return [];
      return demoUplinks(hostNames, labSwitch.switchSpec().id).map((u) => ({ hostName: u.hostId, switchId: u.switchId, port: u.port }));
    },
    stop,
  };
}
