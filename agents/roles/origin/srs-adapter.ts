/**
 * SRS: `GET /api/v1/streams?start=S&count=N` → {code, server, service, pid, total?, streams:[…]}. Always pass `count`
 * (newer builds default to 1, v3 to at least 10). v3 wrote integer `id`/`vhost`/`publish.cid`, v4+ strings.
 * `clients` counts the publisher too; `live_ms` is the server's clock, not the stream's age.
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
import { asRecord, clampName, readBool, readInt, readNumber, readString } from './field-readers';

export interface SrsPage extends ParsedStreams {
  /** The server's own stream ids, in order (to notice a server that ignores `start`). */
  ids: string[];
  total: number | null;
}

export function parseSrsStreams(json: unknown): SrsPage {
  const top = asRecord(json);
  if (!top) throw new OriginApiError('SRS answered something that is not a JSON object');
  const code = readInt(top.code);
  if (code !== 0) throw new OriginApiError(`SRS answered code ${String(top.code)}`);
  if (!Array.isArray(top.streams)) throw new OriginApiError('SRS answer has no "streams" list');
  const problems: string[] = [];
  const streams: ParsedStream[] = [];
  const ids: string[] = [];
  top.streams.forEach((raw, i) => {
    const s = asRecord(raw);
    const name = s ? readString(s.name, 256) : null;
    if (!s || !name) {
      problems.push(`SRS stream #${i} has no name and was skipped`);
      return;
    }
    ids.push(readString(s.id, 128) ?? `${String(s.app)}/${name}`);
    const publish = asRecord(s.publish);
    const active = readBool(publish?.active) ?? false;
    const kbps = asRecord(s.kbps);
    streams.push({
      app: clampName(readString(s.app, 256) ?? ''),
      name: clampName(name),
      publishing: active,
      clients: Math.max(0, (readInt(s.clients) ?? 0) - (active ? 1 : 0)),
      bitrateInKbps: readNumber(kbps?.recv_30s),
      bitrateOutKbps: readNumber(kbps?.send_30s),
      bytesIn: readNumber(s.recv_bytes),
      bytesOut: readNumber(s.send_bytes),
      uptimeSec: null,
      video: readVideo(s.video),
      audio: readAudio(s.audio),
    });
  });
  return { streams, problems, ids, total: readInt(top.total) };
}

function readVideo(value: unknown): VideoTrackInfo | null {
  const v = asRecord(value);
  const codec = v ? readString(v.codec) : null;
  if (!v || !codec) return null;
  return {
    codec,
    width: readInt(v.width),
    height: readInt(v.height),
    frameRate: null,
    profile: readString(v.profile),
    level: readString(v.level, 16),
  };
}

function readAudio(value: unknown): AudioTrackInfo | null {
  const a = asRecord(value);
  const codec = a ? readString(a.codec) : null;
  if (!a || !codec) return null;
  return { codec, sampleRateHz: readInt(a.sample_rate), channels: readInt(a.channel), profile: readString(a.profile) };
}

export const srsAdapter: OriginAdapter = {
  kind: 'srs',
  defaultPath: '/api/v1/streams',
  async listStreams(get, request) {
    const streams: ParsedStream[] = [];
    const problems: string[] = [];
    const seen = new Set<string>();
    let start = 0;
    for (let page = 0; page < pageLimit(request); page++) {
      const url = withQuery(`${request.baseUrl}${request.path}`, { start, count: request.pageSize });
      const parsed = parseSrsStreams(parseJsonBody(requireOk(await get(url), 'SRS'), 'SRS'));
      problems.push(...parsed.problems);
      const fresh = parsed.streams.filter((_, i) => !seen.has(parsed.ids[i]!));
      if (parsed.streams.length > 0 && fresh.length === 0) {
        problems.push('SRS repeated a page (it may ignore "start"): paging stopped');
        break;
      }
      parsed.ids.forEach((id) => seen.add(id));
      streams.push(...fresh);
      start += parsed.streams.length;
      const more = parsed.total !== null ? start < parsed.total : parsed.streams.length >= request.pageSize;
      if (!more || parsed.streams.length === 0 || streams.length >= request.maxStreams) break;
    }
    return { streams, problems };
  },
};
