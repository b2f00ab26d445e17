/**
 * Flussonic: `GET /streamer/api/v3/streams?limit=N[&cursor=C]` → {estimated_count, next, prev, streams:[…]}, cursor
 * paging (follow `next` until it is absent). Per stream: stats.alive, stats.status, stats.input_bitrate (kbit/s),
 * stats.online_clients, stats.last_dts, stats.dvr_info.ranges, and stats.media_info.tracks when the input is up.
 * Stream names may hold slashes; they are split like paths.
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

export interface FlussonicPage extends ParsedStreams {
  next: string | null;
}

export function parseFlussonicStreams(json: unknown): FlussonicPage {
  const top = asRecord(json);
  if (!top || !Array.isArray(top.streams)) throw new OriginApiError('Flussonic answer has no "streams" list');
  const problems: string[] = [];
  const streams: ParsedStream[] = [];
  top.streams.forEach((raw, i) => {
    const s = asRecord(raw);
    const fullName = s ? readString(s.name, 512) : null;
    if (!s || !fullName) {
      problems.push(`Flussonic stream #${i} has no name and was skipped`);
      return;
    }
    const stats = asRecord(s.stats) ?? {};
    const { app, name } = splitStreamPath(fullName);
    streams.push({
      app,
      name,
      publishing: readBool(stats.alive) ?? false,
      clients: readInt(stats.online_clients) ?? 0,
      bitrateInKbps: readNumber(stats.input_bitrate),
      bitrateOutKbps: null,
      bytesIn: readNumber(stats.bytes_in),
      bytesOut: readNumber(stats.bytes_out),
      uptimeSec: null,
      ...readMediaInfo(stats.media_info),
    });
  });
  const next = readString(top.next, 4096);
  return { streams, problems, next };
}

function readMediaInfo(value: unknown): { video: VideoTrackInfo | null; audio: AudioTrackInfo | null } {
  let video: VideoTrackInfo | null = null;
  let audio: AudioTrackInfo | null = null;
  const tracks = asRecord(value)?.tracks;
  if (!Array.isArray(tracks)) return { video, audio };
  for (const raw of tracks) {
    const t = asRecord(raw);
    const codec = t ? readString(t.codec) : null;
    if (!t || !codec) continue;
    if (!video && t.content === 'video') {
      video = {
        codec,
        width: readInt(t.width),
        height: readInt(t.height),
        frameRate: readNumber(t.fps),
        profile: readString(t.profile),
        level: readString(t.level, 16),
      };
    } else if (!audio && t.content === 'audio') {
      audio = { codec, sampleRateHz: readInt(t.sample_rate), channels: readInt(t.channels), profile: readString(t.profile) };
    }
  }
  return { video, audio };
}

export const flussonicAdapter: OriginAdapter = {
  kind: 'flussonic',
  defaultPath: '/streamer/api/v3/streams',
  async listStreams(get, request) {
    const streams: ParsedStream[] = [];
    const problems: string[] = [];
    const cursors = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < pageLimit(request); page++) {
      const query: Record<string, string | number> = { limit: request.pageSize };
      if (cursor) query.cursor = cursor;
      const url = withQuery(`${request.baseUrl}${request.path}`, query);
      const parsed = parseFlussonicStreams(parseJsonBody(requireOk(await get(url), 'Flussonic'), 'Flussonic'));
      problems.push(...parsed.problems);
      streams.push(...parsed.streams);
      if (!parsed.next || parsed.streams.length === 0 || streams.length >= request.maxStreams) return { streams, problems };
      if (cursors.has(parsed.next)) {
        problems.push('Flussonic repeated a cursor: paging stopped');
        return { streams, problems };
      }
      cursors.add(parsed.next);
      cursor = parsed.next;
    }
    problems.push(`Flussonic has more than ${pageLimit(request)} pages; the rest were not read`);
    return { streams, problems };
  },
};
