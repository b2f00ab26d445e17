import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChannelConfig, type ChannelConfigInput } from '../../../../../agents/protocol';
import { buildFfmpegArgs, escapeFfmpegToken } from '../../../../../agents/roles/transcoder/ffmpeg-args';

const HLS_ROOT = '/srv/hls';
const base: ChannelConfigInput = {
  name: 'news',
  input: { url: 'lavfi:testsrc2=size=320x180:rate=25' },
  outputs: [{ type: 'hls' }],
  video: { preset: 'ultrafast', bitrateKbps: 300 },
  audio: { codec: 'none' },
};
const build = (patch: Partial<ChannelConfigInput>) => buildFfmpegArgs(ChannelConfig.parse({ ...base, ...patch }), HLS_ROOT);

/** The argument that follows `flag`, or undefined. */
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('ffmpeg argument builder', () => {
  it('builds the whole command for a lavfi test channel with HLS output', () => {
    const { args, hlsDirs } = build({});
    assert.deepEqual(args, [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+info', '-progress', 'pipe:1', '-stats_period', '2', '-y',
      '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25',
      '-map', '0:v:0?', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '300k',
      '-pix_fmt', 'yuv420p', '-force_key_frames', 'expr:gte(t,n_forced*2)', '-sc_threshold', '0',
      '-an',
      '-f', 'hls', '-hls_time', '2', '-hls_list_size', '6', '-hls_flags', 'delete_segments+append_list+omit_endlist+temp_file',
      '-hls_segment_filename', '/srv/hls/news/seg-%05d.ts', '/srv/hls/news/index.m3u8',
    ]);
    assert.deepEqual(hlsDirs, ['/srv/hls/news']);
  });

  const inputs: [string, ChannelConfigInput['input'], string[]][] = [
    ['a live UDP input is read as it comes', { url: 'udp://239.1.1.1:1234?fifo_size=1000000' }, ['-i', 'udp://239.1.1.1:1234?fifo_size=1000000']],
    ['realtime can be forced on a live input', { url: 'http://cam/stream.ts', realtime: true }, ['-re', '-i', 'http://cam/stream.ts']],
    ['realtime can be switched off for lavfi', { url: 'lavfi:smptebars', realtime: false }, ['-f', 'lavfi', '-i', 'smptebars']],
  ];
  for (const [title, input, expected] of inputs) {
    it(title, () => {
      const { args } = build({ input });
      const start = args.indexOf('-y') + 1;
      assert.deepEqual(args.slice(start, start + expected.length), expected);
    });
  }

  it('scales and sets the frame rate with -vf', () => {
    const { args } = build({ video: { width: 640, fps: 25 } });
    assert.equal(after(args, '-vf'), 'scale=640:-2,fps=25');
  });

  it('passes encoder settings through', () => {
    const { args } = build({ video: { preset: 'veryfast', profile: 'main', tune: 'zerolatency', bitrateKbps: 2000, maxrateKbps: 2500, bufsizeKbps: 4000, keyframeSec: 1 } });
    assert.equal(after(args, '-profile:v'), 'main');
    assert.equal(after(args, '-tune'), 'zerolatency');
    assert.equal(after(args, '-maxrate'), '2500k');
    assert.equal(after(args, '-bufsize'), '4000k');
    assert.equal(after(args, '-force_key_frames'), 'expr:gte(t,n_forced*1)');
  });

  it('draws an overlay from a second input through a filter graph', () => {
    const { args } = build({ overlay: { imageUrl: 'http://media/logo.png', x: 10, y: 20 }, video: { width: 640, height: 360 } });
    assert.deepEqual(args.slice(args.indexOf('-i') + 2, args.indexOf('-i') + 4), ['-i', 'http://media/logo.png']);
    assert.equal(after(args, '-filter_complex'), '[0:v:0]scale=640:360[base];[base][1:v:0]overlay=x=10:y=20[vout]');
    assert.equal(after(args, '-map'), '[vout]');
    assert.ok(!args.includes('-vf'));
  });

  it('copies video without encoder options', () => {
    const { args } = build({ video: { codec: 'copy' } });
    assert.equal(after(args, '-c:v'), 'copy');
    assert.ok(!args.includes('-preset') && !args.includes('-b:v'));
  });

  it('encodes audio when asked', () => {
    const { args } = build({ audio: { codec: 'aac', bitrateKbps: 96, sampleRateHz: 48000, channels: 2 } });
    assert.deepEqual(args.slice(args.indexOf('0:a:0?') - 1, args.indexOf('0:a:0?') + 11), [
      '-map', '0:a:0?', '-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-ac', '2', '-f', 'hls',
    ]);
  });

  const single: [string, ChannelConfigInput['outputs'], string[]][] = [
    ['UDP gets MPEG-TS and a packet size', [{ type: 'udp', url: 'udp://239.1.1.1:1234' }], ['-f', 'mpegts', 'udp://239.1.1.1:1234?pkt_size=1316']],
    ['UDP with a query gets the packet size appended', [{ type: 'udp', url: 'udp://239.1.1.1:1234?ttl=4' }], ['-f', 'mpegts', 'udp://239.1.1.1:1234?ttl=4&pkt_size=1316']],
    ['UDP keeps its own packet size', [{ type: 'udp', url: 'udp://239.1.1.1:1234?pkt_size=188' }], ['-f', 'mpegts', 'udp://239.1.1.1:1234?pkt_size=188']],
    ['RTMP push is FLV', [{ type: 'rtmp', url: 'rtmp://origin-1/live/news' }], ['-f', 'flv', 'rtmp://origin-1/live/news']],
  ];
  for (const [title, outputs, tail] of single) {
    it(title, () => {
      const { args, hlsDirs } = build({ outputs });
      assert.deepEqual(args.slice(-tail.length), tail);
      assert.deepEqual(hlsDirs, []);
    });
  }

  it('fans several outputs out through one tee muxer, each allowed to fail alone', () => {
    const { args, hlsDirs } = build({
      outputs: [
        { type: 'hls', folder: 'news-hd', segmentSec: 4, listSize: 5 },
        { type: 'udp', url: 'udp://239.1.1.1:1234' },
        { type: 'rtmp', url: 'rtmp://origin-1/live/news' },
      ],
    });
    assert.deepEqual(args.slice(-3, -1), ['-f', 'tee']);
    assert.equal(
      args.at(-1),
      '[f=hls:hls_time=4:hls_list_size=5:hls_flags=delete_segments+append_list+omit_endlist+temp_file:hls_segment_filename=/srv/hls/news-hd/seg-%05d.ts:onfail=ignore]/srv/hls/news-hd/index.m3u8' +
        '|[f=mpegts:onfail=ignore]udp://239.1.1.1:1234?pkt_size=1316' +
        '|[f=flv:onfail=ignore]rtmp://origin-1/live/news',
    );
    assert.deepEqual(hlsDirs, ['/srv/hls/news-hd']);
  });

  it('escapes an HLS root with awkward characters for the tee muxer', () => {
    const plan = buildFfmpegArgs(
      ChannelConfig.parse({ ...base, outputs: [{ type: 'hls' }, { type: 'udp', url: 'udp://127.0.0.1:5000' }] }),
      "/srv/it's 100:live|x",
    );
    assert.equal(
      plan.args.at(-1),
      "[f=hls:hls_time=2:hls_list_size=6:hls_flags=delete_segments+append_list+omit_endlist+temp_file:hls_segment_filename=/srv/it\\\\\\'s\\\\\\ 100\\\\:live\\|x/news/seg-%05d.ts:onfail=ignore]/srv/it\\'s\\ 100:live\\|x/news/index.m3u8|[f=mpegts:onfail=ignore]udp://127.0.0.1:5000?pkt_size=1316",
    );
  });

  const escapes: [string, string, string][] = [
    ['plain', ':', 'plain'],
    ['a:b', ':', 'a\\:b'],
    ["it's", '', "it\\'s"],
    ['back\\slash', '', 'back\\\\slash'],
    [' padded ', '', '\\ padded\\ '],
    ['a|b]c', '|]', 'a\\|b\\]c'],
  ];
  for (const [raw, specials, escaped] of escapes) {
    it(`escapes ${JSON.stringify(raw)} for av_get_token`, () => assert.equal(escapeFfmpegToken(raw, specials), escaped));
  }
});
