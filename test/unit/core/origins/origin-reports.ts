import type { OriginStatus, OriginStream } from '../../../../agents/protocol/origin';
import type { OriginReport } from '../../../../main/core/origins/origin-matrix';

export function stream(key: string, over: Partial<OriginStream> = {}): OriginStream {
  const slash = key.lastIndexOf('/');
  return {
    app: slash < 0 ? '' : key.slice(0, slash),
    name: slash < 0 ? key : key.slice(slash + 1),
    publishing: true,
    clients: 0,
    bitrateInKbps: 1000,
    bitrateOutKbps: 0,
    uptimeSec: 60,
    video: null,
    audio: null,
    ...over,
  };
}

export function origin(hostId: string, streams: OriginStream[], over: Partial<OriginStatus> & { hostUp?: boolean } = {}): OriginReport {
  const { hostUp = true, ...status } = over;
  return {
    hostId,
    hostName: hostId.replace(/^h-/, ''),
    hostUp,
    status: {
      server: 'nginx-rtmp',
      apiUrl: 'http://127.0.0.1:8080/stat',
      state: 'ok',
      error: null,
      polledAt: 1,
      streams,
      streamsTotal: streams.length,
      ...status,
    },
  };
}
