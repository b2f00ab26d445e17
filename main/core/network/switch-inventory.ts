/**
 * The switches of the plant and the host → switch-port uplinks, saved through the store under the network module's
 * own keys and validated entry by entry on load (what does not validate is reported and kept aside, never dropped).
 */
import { ApiError, describeInputError } from '../dispatch';
import type { KeyValueStore } from '../store/store';
import { loadStoredList } from '../store/stored-value';
import type { SwitchPatch } from './network-contract';
import { HostUplink, SwitchSpec, type SwitchPortRef, type SwitchSpecInput } from './switch-spec';

export const SWITCHES_KEY = 'network.switches';
export const UPLINKS_KEY = 'network.uplinks';

/** A readable id from the name ("Core switch 1" → "core-switch-1"), made unique with a counter. */
export function switchIdFrom(name: string, taken: (id: string) => boolean): string {
  const base = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'switch';
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}

function valid(input: unknown): SwitchSpec {
  const parsed = SwitchSpec.safeParse(input);
  if (!parsed.success) throw new ApiError('bad-input', describeInputError(parsed.error));
  return parsed.data;
}

const samePort = (a: SwitchPortRef, b: SwitchPortRef) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);

export class SwitchInventory {
  private readonly switches = new Map<string, SwitchSpec>();
  private links: HostUplink[];
  /** Why part of what was stored could not be used, one line per key; empty when all was read. */
  readonly problems: string[] = [];

  constructor(private readonly store: KeyValueStore) {
    const switches = loadStoredList(store, SWITCHES_KEY, SwitchSpec);
    const uplinks = loadStoredList(store, UPLINKS_KEY, HostUplink);
    for (const problem of [switches.problem, uplinks.problem]) if (problem) this.problems.push(problem);
    for (const spec of switches.value) {
      if (this.switches.has(spec.id)) this.problems.push(`switch id "${spec.id}" is stored twice; the first one is used`);
      else this.switches.set(spec.id, spec);
    }
    this.links = uplinks.value;
  }

  list(): SwitchSpec[] {
    return [...this.switches.values()];
  }

  get(id: string): SwitchSpec | undefined {
    return this.switches.get(id);
  }

  require(id: string): SwitchSpec {
    const spec = this.switches.get(id);
    if (!spec) throw new ApiError('not-found', `no switch with id ${id}`);
    return spec;
  }

  add(input: Omit<SwitchSpecInput, 'id'> & { id?: string }): SwitchSpec {
    const id = input.id ?? switchIdFrom(input.name, (candidate) => this.switches.has(candidate));
    if (this.switches.has(id)) throw new ApiError('conflict', `a switch with id "${id}" already exists`);
    const spec = valid({ ...input, id });
    this.checkUnique(spec);
    this.switches.set(id, spec);
    this.persistSwitches();
    return spec;
  }

  update(id: string, patch: SwitchPatch): SwitchSpec {
    const next = valid({ ...this.require(id), ...patch, id });
    this.checkUnique(next);
    this.switches.set(id, next);
    this.persistSwitches();
    return next;
  }

  /** Removes the switch and its uplinks; returns what was removed. */
  remove(id: string): { spec: SwitchSpec; uplinks: HostUplink[] } {
    const spec = this.require(id);
    const uplinks = this.links.filter((u) => u.switchId === id);
    this.switches.delete(id);
    this.persistSwitches();
    if (uplinks.length > 0) {
      this.links = this.links.filter((u) => u.switchId !== id);
      this.persistUplinks();
    }
    return { spec, uplinks };
  }

  uplinks(): HostUplink[] {
    return this.links;
  }

  uplinksOf(hostId: string): HostUplink[] {
    return this.links.filter((u) => u.hostId === hostId);
  }

  /** Replaces one host's uplinks. Every switch must exist; a port is listed once. */
  setHostUplinks(hostId: string, uplinks: readonly { switchId: string; port: SwitchPortRef }[]): HostUplink[] {
    const next: HostUplink[] = [];
    for (const u of uplinks) {
      this.require(u.switchId);
      if (next.some((n) => n.switchId === u.switchId && samePort(n.port, u.port))) throw new ApiError('bad-input', `port ${u.port} of ${u.switchId} is listed twice`);
      next.push(HostUplink.parse({ hostId, switchId: u.switchId, port: u.port }));
    }
    this.links = [...this.links.filter((u) => u.hostId !== hostId), ...next];
    this.persistUplinks();
    return next;
  }

  /** Uplinks of hosts no longer in the inventory: removed and returned (the caller journals them). */
  dropHostsNotIn(hostIds: ReadonlySet<string>): HostUplink[] {
    const gone = this.links.filter((u) => !hostIds.has(u.hostId));
    if (gone.length === 0) return [];
    this.links = this.links.filter((u) => hostIds.has(u.hostId));
    this.persistUplinks();
    return gone;
  }

  private checkUnique(spec: SwitchSpec): void {
    for (const other of this.switches.values()) {
      if (other.id === spec.id) continue;
      if (other.name === spec.name) throw new ApiError('conflict', `a switch named "${spec.name}" already exists`);
      if (other.address === spec.address && other.snmpPort === spec.snmpPort) throw new ApiError('conflict', `${spec.address}:${spec.snmpPort} is already switch "${other.name}"`);
    }
  }

  private persistSwitches(): void {
    this.store.set(SWITCHES_KEY, this.list());
  }

  private persistUplinks(): void {
    this.store.set(UPLINKS_KEY, this.links);
  }
}
