/**
 * The archive part of the demo plant: one lab channel (a real ffmpeg test source sent over UDP on loopback), the
 * archive config of archive-a (records it: the primary) and archive-b (its replica), and a storage group of two.
 *
 * Why archive-b does not record the channel itself: two recorders never produce the same bytes for the same
 * seconds (segment boundaries, PCR, muxer state), so two independent recordings under one name would be a conflict
 * in every segment. As in Flussonic's cross-replication (seed 000), one member records and the other copies the
 * segments byte for byte (a resync); when the primary is down the console tells the replica to record
 * (POST /v1/archive/recording, crash mode), and when it returns the primary pulls what it missed (recovery mode).
 * archive-b gets the same input (its own UDP port) so it can take over at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { ArchiveAgentConfig, RoleName, StorageAgentConfig } from '../protocol';
import type { LabAgentSpec } from './lab';

export const LAB_ARCHIVE_CHANNEL = 'lab-1';
/** UDP ports on 127.0.0.1 the lab source sends the channel to, one per archive host. */
export const LAB_ARCHIVE_PORTS = { 'archive-a': 24101, 'archive-b': 24102 } as const;
export const LAB_STORAGE_GROUP = 'media';

export type ArchiveConfigInput = z.input<typeof ArchiveAgentConfig>;
export type StorageConfigInput = z.input<typeof StorageAgentConfig>;

export interface LabRoleConfig {
  roles: RoleName[];
  extra: Record<string, unknown>;
}

export function labUdpInput(port: number): string {
  return `udp://127.0.0.1:${port}?fifo_size=1000000&overrun_nonfatal=1`;
}

/** The archive config of one lab archive host. */
export function archiveHostConfig(opts: {
  root: string;
  channel?: string;
  inputPort: number;
  record: boolean;
  ffmpegPath?: string;
  segmentSeconds?: number;
  scanIntervalMs?: number;
}): LabRoleConfig {
  const archive: ArchiveConfigInput = {
    root: opts.root,
    ffmpegPath: opts.ffmpegPath ?? '/usr/bin/ffmpeg',
    segmentSeconds: opts.segmentSeconds ?? 2,
    scanIntervalMs: opts.scanIntervalMs ?? 2000,
    streams: [{ name: opts.channel ?? LAB_ARCHIVE_CHANNEL, input: labUdpInput(opts.inputPort), record: opts.record }],
  };
  return { roles: ['system', 'archive'], extra: { archive } };
}

/** archive-a records the lab channel; archive-b holds a replica of it. Roots live under the plant folder. */
export function archiveLabConfigs(plantDir: string): Record<'archive-a' | 'archive-b', LabRoleConfig> {
  return {
    'archive-a': archiveHostConfig({ root: path.join(plantDir, 'archive-a', 'dvr'), inputPort: LAB_ARCHIVE_PORTS['archive-a'], record: true }),
    'archive-b': archiveHostConfig({ root: path.join(plantDir, 'archive-b', 'dvr'), inputPort: LAB_ARCHIVE_PORTS['archive-b'], record: false }),
  };
}

/** The storage group of two: hosts to add to the plant, each with a content root seeded with the same files. */
export function storageGroupHosts(plantDir: string): (LabAgentSpec & { kind: 'storage'; role: 'main'; group: string })[] {
  return [
    { name: 'store-1', ip: '127.0.0.10' },
    { name: 'store-2', ip: '127.0.0.11' },
  ].map(({ name, ip }) => {
    const contentRoot = path.join(plantDir, name, 'content');
    seedStorageContent(contentRoot);
    const storage: StorageConfigInput = { group: LAB_STORAGE_GROUP, contentRoot, digestIntervalMs: 5000 };
    return { name, ip, kind: 'storage' as const, role: 'main' as const, group: LAB_STORAGE_GROUP, roles: ['system', 'storage'] as RoleName[], extra: { storage } };
  });
}

/** A few small files, identical on every member, so the group starts in step. */
export function seedStorageContent(root: string): void {
  for (const [rel, text] of Object.entries({
    'logos/channel-1.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n',
    'schedules/2025-01-01.json': '{"items":[]}\n',
    'README.txt': 'Tally demo storage group content.\n',
  })) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

export interface LabChannelSource {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the lab channel: a 320x180 test pattern in real time (-re), H.264 with a keyframe every second (so 2-second
 * segments cut cleanly), sent as MPEG-TS over UDP to each port on 127.0.0.1.
 */
export function startLabChannelSource(opts: { ports: number[]; ffmpegPath?: string; fps?: number }): LabChannelSource {
  const fps = opts.fps ?? 25;
  const outputs = opts.ports.map((port) => `[f=mpegts]udp://127.0.0.1:${port}?pkt_size=1316`).join('|');
  const child = spawn(
    opts.ffmpegPath ?? '/usr/bin/ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      '-re', '-f', 'lavfi', '-i', `testsrc=size=320x180:rate=${fps}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(fps),
      '-x264-params', 'repeat-headers=1', '-pix_fmt', 'yuv420p',
      '-map', '0:v', '-f', 'tee', outputs,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The demo plant with its archive part: archive-a and archive-b get their archive configs (a recorder and its
 * replica of the lab channel), and the storage group's two members are added. Hosts already there keep their place.
 */
export function withArchiveHosts<H extends LabAgentSpec & { name: string }>(plantDir: string, base: readonly H[]): (H | ReturnType<typeof storageGroupHosts>[number])[] {
  const configs = archiveLabConfigs(plantDir);
  const withArchives = base.map((h) => (h.name === 'archive-a' || h.name === 'archive-b' ? { ...h, roles: configs[h.name].roles, extra: { ...h.extra, ...configs[h.name].extra } } : h));
  const storage = storageGroupHosts(plantDir).filter((s) => !base.some((h) => h.name === s.name));
  return [...withArchives, ...storage];
}
