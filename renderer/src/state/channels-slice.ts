/**
 * The channels part of the renderer's engine state: each transcoder host's channel table (from channels.list at load,
 * then channels.changed), and a counter per channel that moves whenever a config version is recorded, so a view
 * showing that channel's history knows to fetch it again. Bounded by the plant: one table per host.
 */
import type { ChannelStatus, TallyEvent, Transport } from '../../../main/core/api';

export interface HostChannels {
  hostId: string;
  hostName: string;
  channels: readonly ChannelStatus[];
}

export interface ChannelsSnapshot {
  loaded: boolean;
  byHost: ReadonlyMap<string, HostChannels>;
  /** `hostId/channel` → how many versions were recorded since load (a change means: reload its history). */
  versions: ReadonlyMap<string, number>;
}

export const channelKey = (hostId: string, channel: string) => `${hostId}/${channel}`;

export class ChannelsSlice {
  private byHost = new Map<string, HostChannels>();
  private versions = new Map<string, number>();
  private loaded = false;
  private cached: ChannelsSnapshot | null = null;

  async load(transport: Transport): Promise<void> {
    const list = await transport.query('channels.list', {});
    const byHost = new Map<string, HostChannels>();
    for (const { hostId, hostName, status } of list) {
      const host = byHost.get(hostId) ?? { hostId, hostName, channels: [] };
      byHost.set(hostId, { ...host, channels: [...host.channels, status] });
    }
    this.byHost = byHost;
    this.loaded = true;
    this.cached = null;
  }

  /** Applies a channels event; false when the event is about something else (host.removed is also the store's). */
  apply(event: TallyEvent): boolean {
    switch (event.type) {
      case 'channels.changed':
        this.byHost.set(event.payload.hostId, event.payload);
        break;
      case 'snapshot.recorded': {
        const key = channelKey(event.payload.hostId, event.payload.channel);
        this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
        break;
      }
      case 'host.removed':
        this.byHost.delete(event.payload.id);
        this.cached = null;
        return false;
      default:
        return false;
    }
    this.cached = null;
    return true;
  }

  snapshot(): ChannelsSnapshot {
    this.cached ??= { loaded: this.loaded, byHost: new Map(this.byHost), versions: new Map(this.versions) };
    return this.cached;
  }
}
