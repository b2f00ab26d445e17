import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that readers see the old bytes or the new ones, never a mix: a temp file in the same folder,
 * fsync, rename over the target, fsync the folder. On failure the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  let closed = false;
  try {
    await handle.writeFile(bytes);
    await handle.sync();
    closed = true;
    await handle.close();
    await rename(temp, file);
  } catch (err) {
    const cleanup: string[] = [];
    if (!closed) await handle.close().catch((e: Error) => cleanup.push(`close: ${e.message}`));
    await unlink(temp).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') cleanup.push(`remove ${temp}: ${e.message}`);
    });
    if (cleanup.length) (err as Error).message += ` (cleanup failed too: ${cleanup.join('; ')})`;
    throw err;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** A name that is safe as one path segment: kept when plain, else `~` + hex (`~` never occurs in a plain name). */
export function safeSegment(name: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(name) ? name : `~${Buffer.from(name, 'utf8').toString('hex')}`;
}

/** The name a `safeSegment` stands for. */
export function fromSafeSegment(segment: string): string {
  return segment.startsWith('~') ? Buffer.from(segment.slice(1), 'hex').toString('utf8') : segment;
}
