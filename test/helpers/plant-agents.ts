import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The pid of a demo-plant agent that `tally start`/`tally serve --demo` started, found by its config file on its
 * command line (Linux /proc). Tests SIGSTOP it to make the host fail silently, as a frozen machine would.
 */
export function demoAgentPid(dataDir: string, hostName: string): number {
  const config = path.join(dataDir, 'plant', hostName, 'agent.json');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // the process ended between the listing and the read
    }
    if (args.includes(config)) return Number(entry);
  }
  throw new Error(`no running agent with config ${config}`);
}
