import ElectronStore from 'electron-store';
import type { KeyValueStore } from '../core/store/store';

/** The desktop app's constructor of the one store interface (electron-store is conf with Electron's paths). */
export function createElectronStore(cwd: string): KeyValueStore {
  const store = new ElectronStore<Record<string, unknown>>({ name: 'tally', cwd, clearInvalidConfig: false, accessPropertiesByDotNotation: false });
  return {
    path: store.path,
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
  };
}
