import { spawn } from 'node:child_process';

/**
 * syncfs(2) on the filesystem holding `path`, through coreutils' `sync --file-system` (Node has no syncfs). One
 * call makes every file written so far durable with one journal commit, where an fsync per file pays one each.
 * Rejects with code 'ENOENT' when the `sync` program is not there, so the caller can fall back to fsync per file.
 */
export function syncFileSystem(path: string, syncProgram = 'sync'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(syncProgram, ['--file-system', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()).length > 2000 && (stderr = stderr.slice(-2000)));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${syncProgram} --file-system ${path} failed (${signal ?? code}): ${stderr.trim()}`));
    });
  });
}
