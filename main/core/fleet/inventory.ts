import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Host, type HostSpec } from '../api';
import { ApiError, describeInputError } from '../dispatch';
import type { KeyValueStore } from '../store/store';

const HOSTS_KEY = 'hosts';

/** The hosts of the plant, persisted through the store. Names and addresses are unique. */
export class Inventory {
  private readonly hosts = new Map<string, Host>();

  constructor(private readonly store: KeyValueStore) {
    const raw = store.get(HOSTS_KEY) ?? [];
    const parsed = z.array(Host).safeParse(raw);
    if (!parsed.success) {
      throw new Error(`the host inventory in ${store.path} is invalid (${describeInputError(parsed.error)}); it was left as it is`);
    }
    for (const host of parsed.data) this.hosts.set(host.id, host);
  }

  list(): Host[] {
    return [...this.hosts.values()];
  }

  get(id: string): Host | undefined {
    return this.hosts.get(id);
  }

  require(id: string): Host {
    const host = this.hosts.get(id);
    if (!host) throw new ApiError('not-found', `no host with id ${id}`);
    return host;
  }

  add(spec: HostSpec): Host {
    this.checkUnique(spec, null);
    const host: Host = { ...spec, id: `h-${randomBytes(5).toString('hex')}` };
    this.change(() => this.hosts.set(host.id, host), () => this.hosts.delete(host.id));
    return host;
  }

  update(id: string, patch: Partial<HostSpec>): Host {
    const current = this.require(id);
    const next: Host = { ...current, ...patch, id };
    this.checkUnique(next, id);
    this.change(() => this.hosts.set(id, next), () => this.hosts.set(id, current));
    return next;
  }

  remove(id: string): Host {
    const host = this.require(id);
    this.change(() => this.hosts.delete(id), () => this.hosts.set(id, host));
    return host;
  }

  private checkUnique(spec: Pick<HostSpec, 'name' | 'address'>, selfId: string | null): void {
    for (const other of this.hosts.values()) {
      if (other.id === selfId) continue;
      if (other.name === spec.name) throw new ApiError('conflict', `a host named "${spec.name}" already exists`);
      if (other.address === spec.address) throw new ApiError('conflict', `${spec.address} is already host "${other.name}"`);
    }
  }

  /**
   * Applies a change and persists the whole list; when the store refuses the write (an unreadable settings file, a full
   * disk), the change is undone so memory never holds a host the file does not, and the error goes to the caller.
   */
  private change(apply: () => void, undo: () => void): void {
    apply();
    try {
      this.store.set(HOSTS_KEY, this.list());
    } catch (err) {
      undo();
      throw err;
    }
  }
}
