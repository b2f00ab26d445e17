import type { FleetStatus, HostView, JournalEntry, SessionInfo, Settings, TallyEvent } from '../../../main/core/api';
import type { UiTransport } from '../transport/ui-transport';
import { AlertsSlice, type AlertsSnapshot } from './alerts-slice';
import { NetworkSlice, type NetworkSnapshot } from './network-slice';
import { ChannelsSlice, type ChannelsSnapshot } from './channels-slice';
import { type ArchiveOverview, ArchiveSlice } from './archive-slice';

export const HISTORY_POINTS = 120;
const JOURNAL_LIMIT = 300;

export interface Snapshot {
  hosts: HostView[];
  history: ReadonlyMap<string, { cpu: number[]; mem: number[] }>;
  journal: JournalEntry[];
  session: SessionInfo | null;
  settings: Settings | null;
  fleet: FleetStatus | null;
  connected: boolean;
  error: string | null;
  alerts: AlertsSnapshot;
  /** Origins matrix, switches, findings. */
  network: NetworkSnapshot;
  /** Each transcoder host's channels, and which channels got a new config version. */
  channels: ChannelsSnapshot;
  /** Replica sets and storage groups; null until loaded. */
  archive: ArchiveOverview | null;
}

/**
 * The renderer's one copy of engine state, fed by queries at start (and after a reconnect) and by events after.
 * Everything it holds is bounded: histories are rings of HISTORY_POINTS, the journal keeps JOURNAL_LIMIT entries.
 */
export class ConsoleStore {
  private hosts = new Map<string, HostView>();
  private history = new Map<string, { cpu: number[]; mem: number[] }>();
  private journal: JournalEntry[] = [];
  private session: SessionInfo | null = null;
  private settings: Settings | null = null;
  private fleet: FleetStatus | null = null;
  private connected = false;
  private error: string | null = null;
  private readonly alertSlice = new AlertsSlice();
  private readonly networkSlice = new NetworkSlice();
  private readonly channelsSlice = new ChannelsSlice();
  private readonly archiveSlice = new ArchiveSlice();
  private snapshot: Snapshot;
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  /**
   * What changed since the last snapshot: unchanged parts keep their identity (so memoised rows skip rendering), and
   * the host order is sorted again only when a host came, went or was renamed/regrouped — not on every heartbeat.
   */
  private readonly stale = { hosts: true, order: true, history: true, journal: true };
  private hostOrder: string[] = [];

  constructor(readonly transport: UiTransport) {
    this.snapshot = this.build();
    transport.subscribe((event) => this.apply(event));
    transport.onConnection((up) => {
      this.connected = up;
      if (up) void this.load();
      this.changed();
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  async load(): Promise<void> {
    try {
      const [session, hosts, journal, settings, fleet] = await Promise.all([
        this.transport.query('session.get', {}),
        this.transport.query('hosts.list', {}),
        this.transport.query('journal.recent', { limit: JOURNAL_LIMIT }),
        this.transport.query('settings.get', {}),
        this.transport.query('fleet.status', {}),
      ]);
      this.session = session;
      this.fleet = fleet;
      this.settings = settings;
      this.hosts = new Map(hosts.map((h) => [h.id, h]));
      this.journal = journal;
      this.markAll();
      // A few at a time: a thousand hosts must not put two thousand queries on the wire at once.
      const queue = hosts.map((h) => h.id);
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) await this.loadHistory(id);
      }));
      this.markAll();
      await this.alertSlice.load(this.transport);
      await this.networkSlice.load(this.transport);
      await this.channelsSlice.load(this.transport);
      await this.archiveSlice.load(this.transport);
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
    this.changed();
  }

  private async loadHistory(id: string): Promise<void> {
    const [cpu, mem] = await Promise.all([
      this.transport.query('host.metrics', { id, metric: 'cpuPct' }),
      this.transport.query('host.metrics', { id, metric: 'memPct' }),
    ]);
    this.history.set(id, { cpu: cpu.slice(-HISTORY_POINTS).map((p) => p[1]), mem: mem.slice(-HISTORY_POINTS).map((p) => p[1]) });
  }

  private markAll(): void {
    this.stale.hosts = this.stale.order = this.stale.history = this.stale.journal = true;
  }

  private apply(event: TallyEvent): void {
    if (this.alertSlice.apply(event)) return this.changed();
    if (this.networkSlice.apply(event)) return this.changed();
    if (this.channelsSlice.apply(event)) return this.changed();
    if (this.archiveSlice.apply(event)) return this.changed();
    switch (event.type) {
      case 'hosts.changed':
        for (const host of event.payload.hosts) {
          const before = this.hosts.get(host.id);
          this.hosts.set(host.id, host);
          if (!before || before.name !== host.name || before.group !== host.group) this.stale.order = true;
          if (host.system && host.lastHeartbeatAt !== before?.lastHeartbeatAt) this.pushHistory(host);
        }
        this.stale.hosts = true;
        break;
      case 'host.removed':
        this.hosts.delete(event.payload.id);
        this.history.delete(event.payload.id);
        this.stale.hosts = this.stale.order = this.stale.history = true;
        break;
      case 'journal.appended':
        this.journal.push(event.payload.entry);
        if (this.journal.length > JOURNAL_LIMIT) this.journal.splice(0, this.journal.length - JOURNAL_LIMIT);
        this.stale.journal = true;
        break;
      case 'settings.changed':
        this.settings = event.payload.settings;
        break;
      case 'fleet.status':
        this.fleet = event.payload;
        break;
    }
    this.changed();
  }

  /** New arrays, never mutated in place: a row is drawn again exactly when its own history changed. */
  private pushHistory(host: HostView): void {
    const h = this.history.get(host.id) ?? { cpu: [], mem: [] };
    this.history.set(host.id, {
      cpu: [...h.cpu.slice(-(HISTORY_POINTS - 1)), host.system!.cpuPct],
      mem: [...h.mem.slice(-(HISTORY_POINTS - 1)), host.system!.memPct],
    });
    this.stale.history = true;
  }

  /** Coalesces bursts of events into one React update per animation frame. */
  private changed(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    requestAnimationFrame(() => {
      this.notifyQueued = false;
      this.snapshot = this.build();
      for (const l of this.listeners) l();
    });
  }

  private build(): Snapshot {
    const previous = this.snapshot as Snapshot | undefined;
    if (this.stale.order) {
      this.hostOrder = [...this.hosts.values()].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name)).map((h) => h.id);
    }
    const hosts = !previous || this.stale.hosts || this.stale.order ? this.hostOrder.flatMap((id) => this.hosts.get(id) ?? []) : previous.hosts;
    const history = !previous || this.stale.history ? new Map(this.history) : previous.history;
    const journal = !previous || this.stale.journal ? [...this.journal] : previous.journal;
    this.stale.hosts = this.stale.order = this.stale.history = this.stale.journal = false;
    return {
      hosts,
      history,
      journal,
      session: this.session,
      settings: this.settings,
      fleet: this.fleet,
      connected: this.connected,
      error: this.error,
      alerts: this.alertSlice.snapshot(),
      network: this.networkSlice.snapshot(),
      channels: this.channelsSlice.snapshot(),
      archive: this.archiveSlice.snapshot(),
    };
  }
}
