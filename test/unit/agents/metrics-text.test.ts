import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { agentMetricsText } from '../../../agents/metrics-text';
import type { AgentInfo, AgentStatus, ChannelStatus } from '../../../agents/protocol';

const info: AgentInfo = { agentId: 'tc-1', version: '0.1.0', protocol: 1, roles: ['system', 'transcoder'], epoch: 'e', uptimeMs: 12_500 };
const NOW = 1_700_000_000_000;

function channel(name: string, patch: Partial<ChannelStatus> = {}): ChannelStatus {
  return {
    name, state: 'running', reason: null, pid: 42, startedAt: NOW - 10_000, uptimeMs: 10_000, restarts: 2, nextStartAt: null,
    lastExit: null, lastErrorLine: null, lastOutputAt: NOW - 1500, lastSegmentAt: null, segmentsCompleted: 5, fps: 25,
    bitrateKbps: 1200, speed: 1, configHash: null, runningHash: null, epoch: 0, ...patch,
  };
}

const status: AgentStatus = {
  system: {
    hostname: 'tc-1', cpuPct: 25, cpuCores: 4, memUsedBytes: 1024, memTotalBytes: 4096, uptimeSec: 99,
    disks: [{ mount: '/', sizeBytes: 1000, usedBytes: 400, usedPct: 40 }],
    nics: [{ name: 'eth0', up: true, rxBytesPerSec: 10, txBytesPerSec: 20 }],
  },
  transcoder: { channels: [channel('news'), channel('sport "hd"', { state: 'backoff', fps: null, lastOutputAt: null })] },
};

const PROMTOOL = '/usr/bin/promtool';
const promtoolMissing = existsSync(PROMTOOL) ? false : `${PROMTOOL} missing: install Debian's prometheus package (npm run bootstrap)`;
if (promtoolMissing) process.stdout.write(`# skipping the promtool lint of agent metrics: ${promtoolMissing}\n`);

const everyRole: AgentStatus = {
  archive: {
    root: '/dvr', indexing: false, disk: null, servedBytes: 7,
    streams: [{ name: 'ch1', recording: true, recorderState: 'running', recorderRestarts: 0, recorderError: null, segments: 3, bytes: 300, oldestSegmentStartMs: null, newestSegmentStartMs: null, digestVersion: 1, setDigest: 'a'.repeat(64), hours: 1, rotSegments: 0, conflicts: 0 }],
    jobs: [],
  },
  origin: {
    server: 'srs', apiUrl: 'http://127.0.0.1:1985', state: 'ok', error: null, polledAt: NOW, streamsTotal: 1,
    streams: [{ app: 'live', name: 'ch1', publishing: true, clients: 3, bitrateInKbps: 2000, bitrateOutKbps: null, uptimeSec: 5, video: null, audio: null }],
  },
};

const storageStatus: NonNullable<AgentStatus['storage']> = {
  group: 'media', contentRoot: '/srv/media', rootDigest: 'b'.repeat(64), files: 4, bytes: 4096, digestedAt: NOW, digestMs: 120,
  disk: null, error: null,
};

const sampleLines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

describe('agent metrics text', () => {
  it('names every family tally_…, counters with _total and nothing else with it', () => {
    const text = agentMetricsText(info, status, NOW);
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
    assert.ok(types.length > 10);
    for (const { name, type } of types) {
      assert.match(name, /^tally_[a-z0-9_]+$/);
      assert.equal(name.endsWith('_total'), type === 'counter', `${name} is a ${type}`);
      assert.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'));
    }
  });

  it('reports the figures in base units', () => {
    const lines = sampleLines(agentMetricsText(info, status, NOW));
    const has = (line: string) => assert.ok(lines.includes(line), `missing: ${line}\n${lines.join('\n')}`);
    has('tally_agent_uptime_seconds 12.5');
    has('tally_system_cpu_usage_ratio 0.25');
    has('tally_system_disk_used_bytes{mount="/"} 400');
    has('tally_system_nic_up{nic="eth0"} 1');
    has('tally_transcoder_channels 2');
    has('tally_transcoder_channel_state{channel="news",state="running"} 1');
    has('tally_transcoder_channel_state{channel="news",state="backoff"} 0');
    has('tally_transcoder_channel_state{channel="sport \\"hd\\"",state="backoff"} 1');
    has('tally_transcoder_channel_restarts_total{channel="news"} 2');
    has('tally_transcoder_channel_output_bytes_per_second{channel="news"} 150000');
    has('tally_transcoder_channel_last_output_age_seconds{channel="news"} 1.5');
    assert.ok(!lines.some((l) => l.startsWith('tally_transcoder_channel_fps{channel="sport')), 'an unknown fps is left out');
    assert.ok(!lines.some((l) => l.startsWith('tally_archive_')), 'no archive figures without the role');
  });

  it('reports archive jobs and origin streams', () => {
    const text = agentMetricsText(info, everyRole, NOW);
    const lines = sampleLines(text);
    for (const line of [
      'tally_archive_stream_segments{stream="ch1"} 3',
      'tally_archive_stream_bytes{stream="ch1"} 300',
      'tally_archive_served_bytes_total 7',
      'tally_archive_resync_jobs{state="running"} 0',
      'tally_origin_api_up{server="srs"} 1',
      'tally_origin_stream_clients{app="live",stream="ch1"} 3',
      'tally_origin_stream_in_bytes_per_second{app="live",stream="ch1"} 250000',
    ]) assert.ok(lines.includes(line), `missing: ${line}`);
    assert.ok(!text.includes('tally_archive_disk_used_bytes'), 'an unknown disk is left out');
  });

  // The integration test lints what real agents serve; this lints every role's families at once, transcoder included.
  it("passes promtool's format and lint checks with every role on", { skip: promtoolMissing }, () => {
    const text = agentMetricsText({ ...info, roles: ['system', 'transcoder', 'archive', 'origin', 'storage'] }, { ...status, ...everyRole, storage: storageStatus }, NOW);
    const checked = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
    assert.equal(checked.status, 0, `promtool: ${checked.stdout}${checked.stderr}`);
    assert.equal(`${checked.stdout}${checked.stderr}`.trim(), '', 'no lint warnings');
  });
});
