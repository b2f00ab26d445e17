/** Watches the channels folder (inotify on Linux) and reports which channel's file may have changed. */
import { type FSWatcher, watch } from 'node:fs';
import { channelOfFileName } from './channel-files';

export interface FolderWatchHandlers {
  /** The file of this channel was written, renamed or deleted (after a short debounce). */
  onChannel(name: string): void;
  /** Something changed but the OS did not say what: re-read the whole folder. */
  onUnknown(): void;
  /** The watch broke (folder deleted, watch limit reached); the periodic rescan still runs. */
  onError(err: Error): void;
}

export interface FolderWatch {
  readonly alive: boolean;
  close(): void;
}

/** Editors save in several steps (truncate, write, rename); one debounce per file turns that into one re-read. */
export const WATCH_DEBOUNCE_MS = 25;

export function watchChannelsFolder(dir: string, handlers: FolderWatchHandlers, debounceMs = WATCH_DEBOUNCE_MS): FolderWatch {
  const pending = new Map<string, NodeJS.Timeout>();
  let alive = true;
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { persistent: false });
  } catch (err) {
    handlers.onError(err as Error);
    return { alive: false, close: () => undefined };
  }
  watcher.on('change', (_event, fileName) => {
    if (fileName === null || fileName === undefined) {
      handlers.onUnknown();
      return;
    }
    const name = channelOfFileName(fileName.toString());
    if (name === null) return;
    clearTimeout(pending.get(name));
    pending.set(
      name,
      setTimeout(() => {
        pending.delete(name);
        handlers.onChannel(name);
      }, debounceMs),
    );
  });
  watcher.on('error', (err) => {
    alive = false;
    watcher.close();
    handlers.onError(err);
  });
  return {
    get alive() {
      return alive;
    },
    close() {
      alive = false;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      watcher.close();
    },
  };
}
