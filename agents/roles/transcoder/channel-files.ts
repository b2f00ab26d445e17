/** The channels folder on disk: reading a channel file (bounded, hashed, validated); writes go through lib/atomic-write.ts. */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CHANNEL_FILE_SUFFIX, type ChannelConfig, channelNameProblem, parseChannelConfigBytes } from '../../protocol';

export interface ChannelFile {
  name: string;
  /** False: there is no such file (it was never there, or it was deleted). */
  exists: boolean;
  bytes: Buffer | null;
  /** sha256 of the bytes; null when they could not be read. */
  hash: string | null;
  config: ChannelConfig | null;
  /** Why the file cannot be used; null when `config` is set. */
  problem: string | null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function channelFilePath(dir: string, name: string): string {
  return path.join(dir, `${name}${CHANNEL_FILE_SUFFIX}`);
}

/** Reads `<name>.json`, refusing anything but a regular file of at most `maxBytes` (a FIFO never blocks the agent). */
export async function readChannelFile(dir: string, name: string, maxBytes: number): Promise<ChannelFile> {
  const file = channelFilePath(dir, name);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { name, exists: false, bytes: null, hash: null, config: null, problem: null };
    return unreadable(name, `cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return unreadable(name, `${file} is not a regular file`);
    if (stat.size > maxBytes) return unreadable(name, `${file} is ${stat.size} bytes, over the ${maxBytes}-byte limit`);
    const bytes = await handle.readFile();
    if (bytes.length > maxBytes) return unreadable(name, `${file} grew over the ${maxBytes}-byte limit while being read`);
    return describeChannelBytes(name, bytes);
  } catch (err) {
    return unreadable(name, `cannot read ${file}: ${(err as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** What the agent makes of a channel file's bytes: its hash, and its config or the reason it has none. */
export function describeChannelBytes(name: string, bytes: Buffer): ChannelFile {
  const parsed = parseChannelConfigBytes(bytes, name);
  return {
    name,
    exists: true,
    bytes,
    hash: sha256Hex(bytes),
    config: parsed.ok ? parsed.config : null,
    problem: parsed.ok ? null : parsed.reason,
  };
}

function unreadable(name: string, problem: string): ChannelFile {
  return { name, exists: true, bytes: null, hash: null, config: null, problem };
}

/** Channel names present in the folder; files whose names could not be channel names are listed apart. */
export async function listChannelFiles(dir: string): Promise<{ names: string[]; ignored: string[] }> {
  const names: string[] = [];
  const ignored: string[] = [];
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('.') || !entry.endsWith(CHANNEL_FILE_SUFFIX)) continue;
    const name = entry.slice(0, -CHANNEL_FILE_SUFFIX.length);
    if (channelNameProblem(name) === null) names.push(name);
    else ignored.push(entry);
  }
  return { names: names.sort(), ignored };
}

/** The channel name a watched file name stands for, or null for temp files, dot files and anything else. */
export function channelOfFileName(fileName: string): string | null {
  if (fileName.startsWith('.') || !fileName.endsWith(CHANNEL_FILE_SUFFIX)) return null;
  const name = fileName.slice(0, -CHANNEL_FILE_SUFFIX.length);
  return channelNameProblem(name) === null ? name : null;
}
