// Fetches the Electron binary in a step of its own that may fail softly: where the download is blocked the console
// still runs, in a browser (`tally start` says so). Never fails the command that called it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve('node_modules/electron');
const pathFile = path.join(dir, 'path.txt');
const installed = existsSync(pathFile) && existsSync(path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));
if (installed || !existsSync(path.join(dir, 'install.js'))) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);

const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], { encoding: 'utf8', timeout: 180_000 });
const ok = result.status === 0 && existsSync(pathFile) && existsSync(path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));
if (ok) console.log('Electron binary installed.');
else {
  const reason = (result.error?.message ?? `${result.stderr ?? ''}`.split('\n').find((l) => /Error|ERR|failed/i.test(l)) ?? 'download failed').trim();
  console.log(`Electron binary not available (${reason.slice(0, 160)}); Tally will serve the console for a browser instead.`);
}
