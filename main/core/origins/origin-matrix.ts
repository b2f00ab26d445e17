/**
 * Builds the stream × origin matrix from the origin reports in the agents' heartbeats. Pure. A stream is live on an
 * origin when that origin's media server lists it with a publisher and the report can be trusted (host up, API read).
 */
import { type AudioTrackInfo, type OriginStatus, type OriginStream, originStreamKey, type VideoTrackInfo } from '../../../agents/protocol/origin';
import type { MatrixCell, OriginColumn, OriginMatrix, OriginState, StreamRow } from './matrix-view';

export interface OriginReport {
  hostId: string;
  hostName: string;
  /** The health detector still hears the host (ok or attention). */
  hostUp: boolean;
  /** The `origin` part of the host's last heartbeat, or null. */
  status: OriginStatus | null;
}

function originState(report: OriginReport): OriginState {
  if (!report.hostUp) return 'host-down';
  if (!report.status) return 'no-report';
  if (report.status.state === 'starting') return 'starting';
  return report.status.state === 'ok' ? 'ok' : 'api-error';
}

export function describeVideo(video: VideoTrackInfo | null): string | null {
  if (!video) return null;
  const size = video.width && video.height ? ` ${video.width}×${video.height}` : '';
  const fps = video.frameRate ? ` ${Math.round(video.frameRate * 100) / 100} fps` : '';
  return `${video.codec}${size}${fps}`;
}

export function describeAudio(audio: AudioTrackInfo | null): string | null {
  if (!audio) return null;
  const rate = audio.sampleRateHz ? ` ${audio.sampleRateHz / 1000} kHz` : '';
  const channels = audio.channels ? ` ${audio.channels} ch` : '';
  return `${audio.codec}${rate}${channels}`;
}

export function buildOriginMatrix(reports: readonly OriginReport[], expectedStreams: readonly string[] = []): OriginMatrix {
  const ordered = [...reports].sort((a, b) => a.hostName.localeCompare(b.hostName) || a.hostId.localeCompare(b.hostId));
  const rows = new Map<string, StreamRow>();
  const tracks = new Map<string, OriginStream>();
  const rowFor = (key: string, app: string, name: string): StreamRow => {
    let row = rows.get(key);
    if (!row) {
      row = { key, app, name, cells: {}, liveOn: [], clients: 0, video: null, audio: null, expected: false };
      rows.set(key, row);
    }
    return row;
  };

  const origins: OriginColumn[] = ordered.map((report) => {
    const state = originState(report);
    const streams = report.status?.streams ?? [];
    let publishingCount = 0;
    for (const s of streams) {
      const key = originStreamKey(s);
      const row = rowFor(key, s.app, s.name);
      const live = state === 'ok' && s.publishing;
      if (row.cells[report.hostId]) continue; // a server listing one key twice: the first entry stands
      const cell: MatrixCell = { publishing: s.publishing, clients: s.clients, bitrateInKbps: s.bitrateInKbps, bitrateOutKbps: s.bitrateOutKbps, live };
      row.cells[report.hostId] = cell;
      if (state === 'ok') row.clients += s.clients;
      if (live) {
        publishingCount++;
        row.liveOn.push(report.hostId);
        if (!tracks.has(key)) tracks.set(key, s);
      }
    }
    return {
      hostId: report.hostId,
      hostName: report.hostName,
      server: report.status?.server ?? null,
      state,
      error: state === 'api-error' ? report.status?.error ?? null : null,
      publishingCount,
      truncated: (report.status?.streamsTotal ?? 0) > streams.length,
    };
  });

  for (const key of expectedStreams) {
    const slash = key.lastIndexOf('/');
    rowFor(key, slash < 0 ? '' : key.slice(0, slash), slash < 0 ? key : key.slice(slash + 1)).expected = true;
  }
  for (const [key, s] of tracks) {
    const row = rows.get(key)!;
    row.video = describeVideo(s.video);
    row.audio = describeAudio(s.audio);
  }
  const streams = [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
  return { origins, streams };
}
