/** Pure: the findings (and so the alerts) a host's channel table raises — a channel whose config file is broken. */
import type { ChannelStatus } from '../../../agents/protocol/transcoder';
import type { Finding } from '../findings/finding';

export const configErrorKey = (hostId: string, channel: string) => `channel:${hostId}:${channel}:config-error`;

export function channelFindings(hostId: string, hostName: string, channels: readonly ChannelStatus[]): Finding[] {
  return channels
    .filter((c) => c.state === 'config-error')
    .map((c) => ({
      key: configErrorKey(hostId, c.name),
      kind: 'channel.config-error',
      severity: 'major' as const,
      hostId,
      summary: `${hostName}/${c.name}: config error — ${c.reason ?? 'the file cannot be read'}`.slice(0, 500),
      hostDown: false,
      fix: `fix ${c.name}.json on the host, or restore a valid version from its history (desk → Channels)`,
      related: [],
    }));
}
