/**
 * Who may call the engine over IPC, kept free of the 'electron' import so it is unit-tested in plain Node.
 * Only frames loaded from the app's own origin may call; the wall window reads but never acts.
 */
import type { CallContext } from '../core/api';

export const APP_ORIGIN = 'app://tally';

export function isAppFrameUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'tally';
  } catch {
    return false;
  }
}

export function accessForSender(senderId: number, wallSenderId: number | null): CallContext['access'] {
  return wallSenderId !== null && senderId === wallSenderId ? 'viewer' : 'operator';
}

/** The file an app:// URL names inside the renderer folder, or null when it would leave it. */
export function appUrlToFile(url: string, rendererDir: string, resolve: (...parts: string[]) => string, sep: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'app:' || parsed.host !== 'tally') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = resolve(rendererDir, `.${pathname}`);
  return file.startsWith(rendererDir + sep) ? file : null;
}
