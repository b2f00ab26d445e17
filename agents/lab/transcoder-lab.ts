/**
 * Transcoder hosts for the lab: the agent's `transcoder` section and a few cheap lavfi test channels
 * (320x180, ultrafast, low frame rate, 2 s HLS segments) written into the host's channels folder.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChannelConfigInput, TranscoderAgentConfigInput } from '../protocol';

const TEST_SOURCES = ['testsrc2', 'smptebars', 'testsrc', 'smptehdbars', 'rgbtestsrc'];

/** The `transcoder` section of a lab host's agent config: everything under `<labDir>/<host>/`. */
export function labTranscoderSection(labDir: string, hostName: string, extra: Partial<TranscoderAgentConfigInput> = {}): TranscoderAgentConfigInput {
  return {
    channelsDir: path.resolve(labDir, hostName, 'channels'),
    hlsRoot: path.resolve(labDir, hostName, 'hls'),
    ...extra,
  };
}

/** A cheap live test channel: a lavfi picture and tone, HLS with 2 s segments. */
export function labTestChannel(name: string, index = 0, fps = 10): ChannelConfigInput {
  const source = TEST_SOURCES[index % TEST_SOURCES.length];
  return {
    name,
    input: { url: `lavfi:${source}=size=320x180:rate=${fps}[out0];sine=frequency=${440 + 110 * index}:sample_rate=48000[out1]` },
    outputs: [{ type: 'hls', segmentSec: 2, listSize: 6 }],
    video: { preset: 'ultrafast', bitrateKbps: 200, keyframeSec: 2 },
    audio: { codec: 'aac', bitrateKbps: 32 },
    epoch: 0,
  };
}

export function channelFileBytes(config: ChannelConfigInput): Buffer {
  return Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Writes the channel files of a fresh host. A channels folder that already exists is left alone, so edits made
 * on the "host" or pushed by the console survive a restart of the plant.
 */
export function seedLabChannels(channelsDir: string, names: string[], fps = 10): void {
  if (existsSync(channelsDir)) return;
  mkdirSync(channelsDir, { recursive: true });
  names.forEach((name, i) => writeFileSync(path.join(channelsDir, `${name}.json`), channelFileBytes(labTestChannel(name, i, fps))));
}
