/**
 * The preload exposes exactly the contract of main/core/api.ts and nothing else: names are checked against the map
 * here before anything crosses into the main process, which checks them again with the payload schemas.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCommandName, isQueryName, type PreloadBridge } from '../core/api';

const bridge: PreloadBridge = {
  query(name, input) {
    if (!isQueryName(name)) return Promise.reject(new Error(`no such query: ${name}`));
    return ipcRenderer.invoke('tally:query', name, input).then(unwrap);
  },
  command(name, input) {
    if (!isCommandName(name)) return Promise.reject(new Error(`no such command: ${name}`));
    return ipcRenderer.invoke('tally:command', name, input).then(unwrap);
  },
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on('tally:event', handler);
    return () => ipcRenderer.removeListener('tally:event', handler);
  },
};

function unwrap(result: { ok: boolean; value?: unknown; error?: string }): unknown {
  if (!result.ok) throw new Error(result.error ?? 'call failed');
  return result.value;
}

contextBridge.exposeInMainWorld('tally', bridge);
