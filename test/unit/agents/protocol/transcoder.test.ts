import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AgentConfig,
  channelNameProblem,
  inputUrlProblem,
  MAX_CHANNEL_CONFIG_BYTES,
  parseChannelConfigBytes,
  TranscoderAgentConfig,
  transcoderPaths,
  TranscoderStatus,
} from '../../../../agents/protocol';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const minimal = { name: 'news', input: { url: 'lavfi:testsrc2' }, outputs: [{ type: 'hls' }] };

describe('channel names', () => {
  const good = ['news', 'a', '1', 'ch-1_HD.v2', 'x'.repeat(64)];
  for (const name of good) it(`accepts ${JSON.stringify(name.slice(0, 20))}`, () => assert.equal(channelNameProblem(name), null));

  const bad: [string, RegExp][] = [
    ['', /required/],
    ['..', /"\.\."/],
    ['../etc/passwd', /slashes/],
    ['..%2F', /"\.\."/],
    ['a..b', /"\.\."/],
    ['/etc/passwd', /slashes/],
    ['a/b', /slashes/],
    ['a\\b', /slashes/],
    ['a\0b', /NUL/],
    ['x'.repeat(65), /at most 64/],
    ['.hidden', /starts with a letter or digit/],
    ['-rf', /starts with a letter or digit/],
    ['with space', /letters, digits/],
    ['ünï', /letters, digits/],
    ['a%2Fb', /letters, digits/],
  ];
  for (const [name, reason] of bad) it(`refuses ${JSON.stringify(name.slice(0, 20))}`, () => assert.match(channelNameProblem(name) ?? '', reason));
});

describe('input URLs', () => {
  const table: [string, RegExp | null][] = [
    ['udp://239.1.1.1:1234', null],
    ['udp://@239.1.1.1:1234?fifo_size=1000000&overrun_nonfatal=1', null],
    ['rtmp://origin/live/news', null],
    ['srt://10.0.0.1:9000?mode=caller', null],
    ['https://cdn/stream.m3u8', null],
    ['lavfi:testsrc2=size=320x180:rate=25[out0];sine=frequency=1000[out1]', null],
    ['lavfi:smptebars=size=320x180,format=yuv420p', null],
    ['file:///etc/passwd', /scheme "file" is not one of/],
    ['/etc/passwd', /looks like/],
    ['-filter_complex', /looks like/],
    ['udp://a b', /looks like/],
    ['udp://239.1.1.1:1234\n-i', /control characters/],
    ['lavfi:', /needs a filter graph/],
    ['lavfi:movie=/etc/passwd', /"movie" is not allowed/],
    ['lavfi:testsrc2,drawtext=textfile=/etc/shadow', /"drawtext" is not allowed/],
    [`udp://${'x'.repeat(3000)}`, /at most 2048/],
  ];
  for (const [url, problem] of table) {
    it(`${problem ? 'refuses' : 'accepts'} ${JSON.stringify(url.slice(0, 50))}`, () => {
      const found = inputUrlProblem(url);
      if (problem) assert.match(found ?? '', problem);
      else assert.equal(found, null);
    });
  }
});

describe('channel config files', () => {
  it('accepts a minimal config and fills in the defaults', () => {
    const parsed = parseChannelConfigBytes(bytes(minimal), 'news');
    assert.ok(parsed.ok);
    assert.equal(parsed.config.epoch, 0);
    assert.equal(parsed.config.video.codec, 'libx264');
    assert.equal(parsed.config.audio.codec, 'aac');
    assert.deepEqual(parsed.config.outputs[0], { type: 'hls', segmentSec: 2, listSize: 6 });
  });

  const refused: [string, Uint8Array, string | undefined, RegExp, string][] = [
    ['not JSON', bytes('{"name": "news",'), undefined, /not JSON/, '(root)'],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), undefined, /not UTF-8/, '(root)'],
    ['over the size limit', new Uint8Array(MAX_CHANNEL_CONFIG_BYTES + 1).fill(0x20), undefined, /over the 65536-byte limit/, '(root)'],
    ['a wrong field type', bytes({ ...minimal, video: { bitrateKbps: 'fast' } }), undefined, /video\.bitrateKbps/, 'video.bitrateKbps'],
    ['an unknown key (a typo on the host)', bytes({ ...minimal, video: { bitrate_kbps: 300 } }), undefined, /video/, 'video'],
    ['no outputs', bytes({ ...minimal, outputs: [] }), undefined, /at least one output/, 'outputs'],
    ['a UDP output to a web URL', bytes({ ...minimal, outputs: [{ type: 'udp', url: 'http://x' }] }), undefined, /udp:\/\//, 'outputs.0.url'],
    ['an HLS folder that escapes the root', bytes({ ...minimal, outputs: [{ type: 'hls', folder: '../../etc' }] }), undefined, /slashes/, 'outputs.0.folder'],
    ['two outputs into one HLS folder', bytes({ ...minimal, outputs: [{ type: 'hls' }, { type: 'hls', folder: 'news' }] }), undefined, /used twice/, 'outputs.1.folder'],
    ['an overlay on copied video', bytes({ ...minimal, video: { codec: 'copy' }, overlay: { imageUrl: 'http://m/l.png' } }), undefined, /overlay/, 'overlay'],
    ['a negative epoch', bytes({ ...minimal, epoch: -1 }), undefined, /epoch/, 'epoch'],
    ['a name that is not the file name', bytes(minimal), 'sport', /stored as "sport\.json"/, 'name'],
  ];
  for (const [title, input, expectedName, reason, path] of refused) {
    it(`refuses ${title}, saying where`, () => {
      const parsed = parseChannelConfigBytes(input, expectedName);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.match(parsed.reason, reason);
      assert.ok(parsed.issues.some((i) => i.path === path), `an issue at ${path}: ${JSON.stringify(parsed.issues)}`);
    });
  }
});

describe('the transcoder section of the agent config', () => {
  it('fills in defaults', () => {
    const config = TranscoderAgentConfig.parse({ channelsDir: '/etc/tally/channels', hlsRoot: '/srv/hls' });
    assert.equal(config.ffmpegPath, '/usr/bin/ffmpeg');
    assert.deepEqual(config.backoff, { minMs: 1000, maxMs: 30_000, factor: 2, stableAfterMs: 30_000 });
    assert.equal(config.rescanMs, 5000);
  });

  const refused: [string, object][] = [
    ['a relative channels folder', { channelsDir: 'channels', hlsRoot: '/srv/hls' }],
    ['"%" in the HLS root', { channelsDir: '/c', hlsRoot: '/srv/100%' }],
    ['a back-off whose max is below its min', { channelsDir: '/c', hlsRoot: '/h', backoff: { minMs: 5000, maxMs: 1000 } }],
    ['an unknown key', { channelsDir: '/c', hlsRoot: '/h', ffmpeg: '/tmp/evil' }],
  ];
  for (const [title, section] of refused) it(`refuses ${title}`, () => assert.equal(TranscoderAgentConfig.safeParse(section).success, false));

  it('is part of the agent config file', () => {
    const config = AgentConfig.parse({ agentId: 'tc-1', listen: {}, token: 'x'.repeat(16), roles: ['transcoder'], transcoder: { channelsDir: '/c', hlsRoot: '/h' } });
    assert.equal(config.transcoder?.stallTimeoutMs, 15_000);
  });
});

describe('wire helpers', () => {
  it('encodes channel names into command paths', () => {
    assert.equal(transcoderPaths.config('news'), '/v1/transcoder/config/news');
    assert.equal(transcoderPaths.start('../x'), '/v1/transcoder/start/..%2Fx');
  });

  it('accepts an empty transcoder heartbeat', () => {
    assert.ok(TranscoderStatus.safeParse({ channels: [] }).success);
  });
});
