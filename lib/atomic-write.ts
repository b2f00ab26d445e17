/**
 * Atomic file writes, shared by the console (snapshot blobs and history) and the agent (channel files, archive
 * indexes). lib/ imports nothing but Node built-ins, so both sides may use it (scripts/dependency-rules.ts).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that readers see the old bytes or the new ones, never a mix: a temp file in the same folder,
 * fsync, rename over the target, fsync the folder. The temp file's name starts with a dot (folder watchers and
 * listings pass over dot files). On failure the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  let closed = false;
  try {
    await handle.writeFile(data);
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
  await fsyncDir(dir);
}

/** Makes a folder's entries (a rename, a new link) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
