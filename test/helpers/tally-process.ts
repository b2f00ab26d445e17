import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface TallyProcess {
  child: ChildProcess;
  lines: string[];
  deskUrl: string;
  wallUrl: string;
  stop(): Promise<void>;
}

/** Runs `node bin/tally.mjs ARGS` as a user would and waits for the URLs it prints. */
export async function startTally(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000, nodeArgs: string[] = []): Promise<TallyProcess> {
  const child = spawn(process.execPath, [...nodeArgs, 'bin/tally.mjs', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => errors.push(l));
  const urls = await new Promise<{ desk: string; wall: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tally printed no URLs within ${timeoutMs} ms:\n${lines.join('\n')}\n${errors.slice(-20).join('\n')}`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tally exited with ${code}:\n${lines.join('\n')}\n${errors.slice(-20).join('\n')}`));
    });
    let desk = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = /^\s+(desk|wall) \((?:operator|viewer)\):\s+(\S+)$/.exec(line);
      if (m?.[1] === 'desk') desk = m[2]!;
      if (m?.[1] === 'wall' && desk) {
        clearTimeout(timer);
        resolve({ desk, wall: m[2]! });
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    child,
    lines,
    deskUrl: urls.desk,
    wallUrl: urls.wall,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        // The whole process group: the console and the demo agents it started.
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}
