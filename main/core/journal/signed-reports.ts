/**
 * Signed shift reports, one JSON file per window under the data folder. A signed report is frozen: exporting that
 * window again prints what the incoming operator signed, not a fresh rebuild. Written atomically (temp, fsync,
 * rename); a file that does not validate is reported, never overwritten.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { signOffHolds } from './handover';
import { HandoverReport, type HandoverWindow } from './handover-schemas';

export class SignedReports {
  constructor(private readonly dir: string) {}

  fileOf(window: HandoverWindow): string {
    return path.join(this.dir, `shift-${window.fromMs}-${window.toMs}.json`);
  }

  /** The signed report of exactly this window, or null. Throws when the file is there but damaged or altered. */
  read(window: HandoverWindow): HandoverReport | null {
    const file = this.fileOf(window);
    if (!existsSync(file)) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`the signed report ${file} is unreadable (${(err as Error).message}); it was left as it is`, { cause: err });
    }
    const parsed = HandoverReport.safeParse(raw);
    if (!parsed.success || !parsed.data.signOff) throw new Error(`the signed report ${file} is not a signed report; it was left as it is`);
    if (!signOffHolds(parsed.data)) throw new Error(`the signed report ${file} was changed after it was signed (its sha256 no longer matches)`);
    return parsed.data;
  }

  write(report: HandoverReport): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileOf(report.window);
    const temp = `${file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(report, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  }
}
