import { statfs } from 'node:fs/promises';

export interface DiskUsage {
  sizeBytes: number;
  usedBytes: number;
  usedPct: number;
}

/** Size and use of the filesystem that holds `path`, as `df` counts them (blocks reserved for root count as used). */
export async function diskUsageOf(path: string): Promise<DiskUsage> {
  const s = await statfs(path);
  const sizeBytes = s.blocks * s.bsize;
  const usedBytes = (s.blocks - s.bfree) * s.bsize;
  const visible = usedBytes + s.bavail * s.bsize;
  const usedPct = visible > 0 ? Math.min(100, (usedBytes / visible) * 100) : 0;
  return { sizeBytes, usedBytes, usedPct };
}
