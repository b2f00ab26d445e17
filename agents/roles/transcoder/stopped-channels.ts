/** Channels an operator stopped: kept in a dot file in the channels folder so a stop survives an agent restart. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../../protocol';
import { writeFileAtomic } from '../../../lib/atomic-write';

export const STOPPED_FILE = '.stopped-channels.json';

const StoppedFile = z.object({ stopped: z.array(z.string().max(256)).max(10_000) });

/** The stopped set, or the reason the file could not be read (the file is then left as it is). */
export async function loadStoppedChannels(dir: string): Promise<{ stopped: Set<string>; problem: string | null }> {
  const file = path.join(dir, STOPPED_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { stopped: new Set(), problem: null };
    return { stopped: new Set(), problem: `cannot read ${file}: ${(err as Error).message}` };
  }
  try {
    const parsed = StoppedFile.safeParse(JSON.parse(text));
    if (parsed.success) return { stopped: new Set(parsed.data.stopped), problem: null };
    return { stopped: new Set(), problem: `${file} is invalid: ${describeZodError(parsed.error)}` };
  } catch (err) {
    return { stopped: new Set(), problem: `${file} is not JSON: ${(err as Error).message}` };
  }
}

export async function saveStoppedChannels(dir: string, stopped: ReadonlySet<string>): Promise<void> {
  const text = `${JSON.stringify({ stopped: [...stopped].sort() }, null, 2)}\n`;
  await writeFileAtomic(path.join(dir, STOPPED_FILE), Buffer.from(text));
}
