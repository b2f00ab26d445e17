/**
 * nginx-rtmp: `GET /stat` (a location with `rtmp_stat all;`) answers XML,
 * rtmp/server/application[name]/live/stream[name] with time, bw_* (bits/s, 0 for the first ~10 s), bytes_*,
 * `client` children, flag elements <publishing/> <active/>, and meta. Module 1.1+ nests meta/video and meta/audio;
 * 1.0.x wrote them flat (meta/width, meta/video = codec name, …). Both are read.
 */
import type { AudioTrackInfo, VideoTrackInfo } from '../../protocol';
import { OriginApiError, type OriginAdapter, type ParsedStream, type ParsedStreams, requireOk } from './adapter';
import { bitsToKbps, clampName, readInt, readNumber, readString } from './field-readers';
import { childElement, childElements, childText, hasChild, readXml, type XmlElement } from './xml-reader';

export function parseNginxRtmpStat(xml: string): ParsedStreams {
  const read = readXml(xml);
  if (!read.root || read.root.name !== 'rtmp') {
    throw new OriginApiError(`nginx-rtmp /stat is not an <rtmp> document${read.root ? ` (root <${read.root.name}>)` : ''}`);
  }
  // A cut-short answer would show publishing streams as idle (the flags come last): better no answer than a wrong one.
  if (!read.complete) throw new OriginApiError(`nginx-rtmp /stat answer is cut short (${read.problems.join('; ')})`);
  const problems = read.problems.map((p) => `stat XML: ${p}`);
  const streams: ParsedStream[] = [];
  for (const server of childElements(read.root, 'server')) {
    for (const application of childElements(server, 'application')) {
      const app = clampName(childText(application, 'name') ?? '');
      if (!app) problems.push('an <application> without a <name> was skipped');
      for (const live of childElements(application, 'live')) {
        for (const stream of childElements(live, 'stream')) {
          const parsed = parseStream(app, stream);
          if (parsed) streams.push(parsed);
          else problems.push(`a <stream> without a <name> in application "${app}" was skipped`);
        }
      }
    }
  }
  return { streams, problems };
}

function parseStream(app: string, stream: XmlElement): ParsedStream | null {
  const name = clampName(childText(stream, 'name') ?? '');
  if (!name || !app) return null;
  const publishing = hasChild(stream, 'publishing');
  const clients = childElements(stream, 'client');
  const players = clients.length > 0
    ? clients.filter((c) => !hasChild(c, 'publishing')).length
    : Math.max(0, (readInt(childText(stream, 'nclients')) ?? 0) - (publishing ? 1 : 0));
  const timeMs = readNumber(childText(stream, 'time'));
  const meta = childElement(stream, 'meta');
  return {
    app,
    name,
    publishing,
    clients: players,
    bitrateInKbps: bitsToKbps(readNumber(childText(stream, 'bw_in'))),
    bitrateOutKbps: bitsToKbps(readNumber(childText(stream, 'bw_out'))),
    bytesIn: readNumber(childText(stream, 'bytes_in')),
    bytesOut: readNumber(childText(stream, 'bytes_out')),
    uptimeSec: timeMs === null ? null : Math.round(timeMs / 1000),
    video: readVideo(meta),
    audio: readAudio(meta),
  };
}

function readVideo(meta: XmlElement | undefined): VideoTrackInfo | null {
  const video = childElement(meta, 'video');
  if (!video) return null;
  // 1.1+: <video><codec>…</codec><width>…; 1.0.x: <video>H264</video> with width/height/framerate beside it.
  const nested = video.children.length > 0;
  const from = nested ? video : meta;
  const codec = readString(nested ? childText(video, 'codec') : video.text);
  if (!codec) return null;
  return {
    codec,
    width: readInt(childText(from, 'width')),
    height: readInt(childText(from, 'height')),
    frameRate: readNumber(childText(from, 'frame_rate') ?? childText(from, 'framerate')),
    profile: readString(childText(from, 'profile')),
    level: readString(childText(from, 'level'), 16),
  };
}

function readAudio(meta: XmlElement | undefined): AudioTrackInfo | null {
  const audio = childElement(meta, 'audio');
  if (!audio) return null;
  const nested = audio.children.length > 0;
  const codec = readString(nested ? childText(audio, 'codec') : audio.text);
  if (!codec) return null;
  const from = nested ? audio : meta;
  return {
    codec,
    sampleRateHz: readInt(childText(from, 'sample_rate')),
    channels: readInt(childText(from, 'channels')),
    // 1.0.x has one flat <profile>, which is the video's.
    profile: nested ? readString(childText(audio, 'profile')) : null,
  };
}

export const nginxRtmpAdapter: OriginAdapter = {
  kind: 'nginx-rtmp',
  defaultPath: '/stat',
  async listStreams(get, request) {
    const url = `${request.baseUrl}${request.path}`;
    return parseNginxRtmpStat(requireOk(await get(url), `nginx-rtmp ${request.path}`));
  },
};
