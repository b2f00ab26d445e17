import type { PreloadBridge } from '../../../main/core/api';
import { createHttpTransport, takeToken } from './http-transport';
import { createIpcTransport } from './ipc-transport';
import type { UiTransport } from './ui-transport';

declare global {
  interface Window {
    tally?: PreloadBridge;
  }
}

/** Picks the transport once at start-up; nothing else in the renderer knows which one it has. */
export function pickTransport(): UiTransport | { error: string } {
  if (window.tally) return createIpcTransport(window.tally);
  const token = takeToken();
  if (!token) return { error: 'This page needs an access token: open the address that `tally serve` printed (…?token=…).' };
  return createHttpTransport(token);
}
