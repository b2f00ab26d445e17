/**
 * MediaMTX: `GET /v3/paths/list?page=P&itemsPerPage=N` → {pageCount, itemCount, items:[…]}.
 * ≤1.15: ready, readyTime, tracks (codec names), bytesReceived, bytesSent, readers.
 * ≥1.16 adds available/availableTime (readers can attach, possibly to an "always available" placeholder),
 * online/onlineTime (a source is really there), tracks2 (codec + props), inboundBytes, outboundBytes; the old fields stay
 * as deprecated. Publishing = `online` when present, else `ready`. No bitrate: rates come from the byte counters.
 */
import type { AudioTrackInfo, VideoTrackInfo } from '../../protocol';
import {
  OriginApiError,
  type OriginAdapter,
  type ParsedStream,
  type ParsedStreams,
  pageLimit,
  parseJsonBody,
  requireOk,
  withQuery,
} from './adapter';
import { asRecord, readBool, readInt, readNumber, readString, splitStreamPath } from './field-readers';

const VIDEO_CODECS = new Set(['AV1', 'VP9', 'VP8', 'H265', 'H264', 'MPEG-4 Video', 'MPEG-1/2 Video', 'MPEG-1 Video', 'MJPEG']);
const AUDIO_CODECS = new Set([
  'Opus', 'Vorbis', 'MPEG-4 Audio', 'MPEG-4 Audio LATM', 'MPEG-1/2 Audio', 'MPEG-1 Audio', 'AC3', 'AC-3', 'Speex', 'G726', 'G722', 'G711', 'LPCM',
]);

export interface MediamtxPage extends ParsedStreams {
  pageCount: number;
}

export function parseMediamtxPaths(json: unknown, nowMs: number): MediamtxPage {
  const top = asRecord(json);
  if (!top || !Array.isArray(top.items)) throw new OriginApiError('MediaMTX answer has no "items" list');
  const problems: string[] = [];
  const streams: ParsedStream[] = [];
  top.items.forEach((raw, i) => {
    const item = asRecord(raw);
    const path = item ? readString(item.name, 512) : null;
    if (!item || !path) {
      problems.push(`MediaMTX path #${i} has no name and was skipped`);
      return;
    }
    const online = readBool(item.online);
    const publishing = online ?? readBool(item.ready) ?? readBool(item.sourceReady) ?? false;
    const since = online !== null ? item.onlineTime : item.readyTime;
    const { app, name } = splitStreamPath(path);
    const tracks = readTracks(item);
    streams.push({
      app,
      name,
      publishing,
      clients: Array.isArray(item.readers) ? item.readers.length : 0,
      bitrateInKbps: null,
      bitrateOutKbps: null,
      bytesIn: readNumber(item.inboundBytes) ?? readNumber(item.bytesReceived),
      bytesOut: readNumber(item.outboundBytes) ?? readNumber(item.bytesSent),
      uptimeSec: publishing ? secondsSince(since, nowMs) : null,
      ...tracks,
    });
  });
  return { streams, problems, pageCount: readInt(top.pageCount) ?? 1 };
}

function secondsSince(value: unknown, nowMs: number): number | null {
  if (typeof value !== 'string') return null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.round((nowMs - at) / 1000)) : null;
}

function readTracks(item: Record<string, unknown>): { video: VideoTrackInfo | null; audio: AudioTrackInfo | null } {
  let video: VideoTrackInfo | null = null;
  let audio: AudioTrackInfo | null = null;
  if (Array.isArray(item.tracks2)) {
    for (const raw of item.tracks2) {
      const track = asRecord(raw);
      const codec = track ? readString(track.codec) : null;
      if (!codec) continue;
      const props = asRecord(track?.codecProps) ?? {};
      if (!video && VIDEO_CODECS.has(codec)) {
        video = {
          codec,
          width: readInt(props.width) || null,
          height: readInt(props.height) || null,
          frameRate: null,
          profile: readString(props.profile),
          level: readString(props.level, 16),
        };
      } else if (!audio && AUDIO_CODECS.has(codec)) {
        audio = { codec, sampleRateHz: readInt(props.sampleRate) || null, channels: readInt(props.channelCount) || null, profile: null };
      }
    }
    return { video, audio };
  }
  if (Array.isArray(item.tracks)) {
    for (const raw of item.tracks) {
      const codec = readString(raw);
      if (!codec) continue;
      if (!video && VIDEO_CODECS.has(codec)) video = { codec, width: null, height: null, frameRate: null, profile: null, level: null };
      else if (!audio && AUDIO_CODECS.has(codec)) audio = { codec, sampleRateHz: null, channels: null, profile: null };
    }
  }
  return { video, audio };
}

export const mediamtxAdapter: OriginAdapter = {
  kind: 'mediamtx',
  defaultPath: '/v3/paths/list',
  async listStreams(get, request) {
    const streams: ParsedStream[] = [];
    const problems: string[] = [];
    let pageCount = 1;
    for (let page = 0; page < Math.min(pageCount, pageLimit(request)); page++) {
      const url = withQuery(`${request.baseUrl}${request.path}`, { page, itemsPerPage: request.pageSize });
      const parsed = parseMediamtxPaths(parseJsonBody(requireOk(await get(url), 'MediaMTX'), 'MediaMTX'), request.nowMs);
      problems.push(...parsed.problems);
      streams.push(...parsed.streams);
      pageCount = parsed.pageCount;
      if (streams.length >= request.maxStreams) break;
    }
    if (pageCount > pageLimit(request)) problems.push(`MediaMTX has ${pageCount} pages; only the first ${pageLimit(request)} were read`);
    return { streams, problems };
  },
};
