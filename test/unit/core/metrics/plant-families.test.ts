import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArchiveMemberView, ArchiveOverview, ReplicaSetView, ResyncJobView } from '../../../../main/core/archive/archive-contract';
import { DEFAULT_ARCHIVE_SETTINGS } from '../../../../main/core/archive/archive-contract';
import type { SourcedFinding } from '../../../../main/core/findings/findings-contract';
import type { NetworkOverview, SwitchInfo } from '../../../../main/core/network/network-contract';
import type { PortView } from '../../../../main/core/network/switch-view';
import { ifStatusCode } from '../../../../main/core/metrics/plant-families';
import { consoleMetricsText, type ConsoleMetricsSnapshot } from '../../../../main/core/metrics/prometheus-text';
import type { OriginsOverview } from '../../../../main/core/origins/origins-contract';
import type { StreamRow } from '../../../../main/core/origins/matrix-view';

const NOW = 1_700_000_000_000;

function port(ifIndex: number, patch: Partial<PortView> = {}): PortView {
  return {
    ifIndex, name: `Gi1/0/${ifIndex}`, descr: null, alias: null, speedBps: 1e9, admin: 'up', oper: 'up', operChangedAt: null,
    inBps: 8000, outBps: 16000, inErrorsPerSec: 0, outErrorsPerSec: 0.5, inDiscardsPerSec: 0, outDiscardsPerSec: 0, ...patch,
  };
}

function switchInfo(id: string, patch: Partial<SwitchInfo['view']> = {}, uplinks: SwitchInfo['uplinks'] = []): SwitchInfo {
  return {
    id, name: `sw "${id}"`, address: '127.0.0.1', snmpPort: 161, pollMs: 5000, timeoutMs: 2000, retries: 1, icmp: true,
    view: {
      id, name: `sw "${id}"`, address: '127.0.0.1', state: 'up', stateSince: NOW - 10_000, error: null, sysName: id, uptimeSec: 3600,
      lastRestartAt: null, polledAt: NOW - 1500, rttMs: 2, ports: [port(1), port(2, { oper: 'down', inBps: null, outBps: null })], ...patch,
    },
    uplinks,
  };
}

const network: NetworkOverview = {
  switches: [
    switchInfo('core', {}, [
      { hostId: 'tc-1', hostName: 'tc-1', switchId: 'core', port: 'Gi1/0/1', state: 'up', label: 'core Gi1/0/1', reason: null },
      { hostId: 'tc-2', hostName: 'tc-2', switchId: 'core', port: 2, state: 'down', label: 'core Gi1/0/2', reason: 'port down' },
    ]),
    switchInfo('edge', { state: 'unreachable', uptimeSec: null, polledAt: null, rttMs: null, ports: [] }),
  ],
  hosts: [
    { hostId: 'tc-1', hostName: 'tc-1', reachability: 'reachable', reason: null, uplinks: 1 },
    { hostId: 'tc-2', hostName: 'tc-2', reachability: 'unreachable', reason: 'every uplink is down', uplinks: 1 },
    { hostId: 'o-1', hostName: 'o-1', reachability: 'unlinked', reason: null, uplinks: 0 },
  ],
  advisories: [{ key: 'spof:x', kind: 'network.spof', severity: 'warning', hostId: null, summary: 'x', hostDown: false, fix: null, related: [] }],
  storeProblem: null,
};

function row(app: string, name: string, liveOn: string[], patch: Partial<StreamRow> = {}): StreamRow {
  return { key: `${app}/${name}`, app, name, cells: {}, liveOn, clients: 3, video: null, audio: null, expected: false, ...patch };
}

const origins: OriginsOverview = {
  matrix: {
    origins: [
      { hostId: 'o-1', hostName: 'origin-1', server: 'nginx-rtmp', state: 'ok', error: null, publishingCount: 3, truncated: false },
      { hostId: 'o-2', hostName: 'origin-2', server: 'nginx-rtmp', state: 'api-error', error: 'refused', publishingCount: 0, truncated: false },
    ],
    streams: [row('live', 'news', ['o-1', 'o-2']), row('live', 'music', ['o-1']), row('live', 'gone', [], { expected: true, clients: 0 })],
  },
  settings: { minOrigins: 2, minOriginsByStream: { 'live/music': 1 } },
  impacts: [{ hostId: 'o-1', dark: [{ key: 'live/music', clients: 3, remaining: [] }], belowMin: [{ key: 'live/news', clients: 3, remaining: ['o-2'] }], playersCut: 3 }],
  builtAt: NOW,
};

function member(hostId: string, patch: Partial<ArchiveMemberView> = {}): ArchiveMemberView {
  return {
    hostId, hostName: hostId, healthy: true, recording: true, recorderState: 'running', segments: 100, bytes: 1e6, newestSegmentStartMs: NOW - 2000,
    fingerprint: 'abc', agreesWithMajority: true, rotSegments: 0, conflicts: 0, diskUsedPct: 40, missing: [], ...patch,
  };
}

function job(state: ResyncJobView['state'], patch: Partial<ResyncJobView> = {}): ResyncJobView {
  return {
    jobId: `j-${state}`, hostId: 'arc-b', hostName: 'arc-b', stream: 'lab-1', peer: '127.0.0.1:1', state, startedAt: NOW - 5000, finishedAt: null,
    segmentsTotal: 10, segmentsDone: 5, bytesTotal: 1000, bytesDone: 250, throughputBytesPerSec: 500, etaSec: 2, conflictCount: 0, error: null, ...patch,
  };
}

const set: ReplicaSetView = {
  stream: 'lab-1',
  identity: { state: 'diverged', fingerprint: 'abc', variants: 2 },
  members: [
    member('arc-a'),
    member('arc-b', {
      healthy: false,
      missing: [
        { fromMs: NOW - 60_000, toMs: NOW - 50_000, segments: 5, bytes: 500 },
        { fromMs: NOW - 20_000, toMs: NOW - 16_000, segments: 2, bytes: 200 },
      ],
    }),
  ],
  hoursThatDiffer: [{ hour: '2023-11-14T22', reasons: ['missing'] }],
  conflicts: [],
  unrepairable: 1,
  jobs: [job('running'), job('running', { jobId: 'j2', bytesTotal: 3000, bytesDone: 750, throughputBytesPerSec: 1500, etaSec: 5 }), job('done', { finishedAt: NOW - 100 })],
  comparedAt: NOW - 3000,
  compareError: null,
};

const archive: ArchiveOverview = {
  replicaSets: [set],
  storageGroups: [
    {
      group: 'media',
      identity: { state: 'identical', fingerprint: 'f', variants: 1 },
      members: [
        { hostId: 's-1', hostName: 's-1', healthy: true, active: true, fingerprint: 'f', files: 3, bytes: 100, diskUsedPct: 10, error: null },
        { hostId: 's-2', hostName: 's-2', healthy: false, active: false, fingerprint: null, files: 3, bytes: 100, diskUsedPct: null, error: null },
      ],
      active: ['s-1'],
    },
  ],
  settings: DEFAULT_ARCHIVE_SETTINGS,
  builtAt: NOW,
};

const finding = (source: SourcedFinding['source'], severity: SourcedFinding['severity']): SourcedFinding => ({
  key: `${source}-${severity}-${Math.random()}`, kind: 'k', severity, hostId: null, summary: 's', hostDown: false, fix: null, related: [], source,
});

const snapshot = (patch: Partial<ConsoleMetricsSnapshot> = {}): ConsoleMetricsSnapshot => ({
  nowMs: NOW, uptimeSeconds: 1, hosts: [], operations: [], openAlerts: [], journalEntries: {}, eventLoopLag: null,
  network, origins, archive, findings: [finding('network', 'warning'), finding('network', 'warning'), finding('archive', 'major')], cluster: null,
  ...patch,
});
const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));
const expectLines = (got: string[], want: string[]) => {
  for (const line of want) assert.ok(got.includes(line), `missing: ${line}`);
};

describe('console metrics: switches, origins, archives, findings', () => {
  it('keeps the naming rules: tally_ prefix, gauges without _total, one HELP and TYPE per family', () => {
    const text = consoleMetricsText(snapshot());
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!);
    assert.equal(new Set(types).size, types.length, 'no family twice');
    for (const name of types) assert.match(name, /^tally_[a-z0-9_]+$/);
    for (const name of ['tally_switch_up', 'tally_stream_live_origins', 'tally_archive_set_healthy_members', 'tally_findings']) assert.ok(types.includes(name), name);
    assert.equal([...text.matchAll(/^# HELP /gm)].length, types.length);
  });

  it('reports switches: poll state, sysUpTime, ports, rates and uplinks, with escaped names', () => {
    const got = lines(consoleMetricsText(snapshot()));
    const core = 'switch_id="core",switch="sw \\"core\\""';
    expectLines(got, [
      'tally_switches 2',
      `tally_switch_up{${core}} 1`,
      'tally_switch_up{switch_id="edge",switch="sw \\"edge\\""} 0',
      'tally_switch_state{switch_id="edge",switch="sw \\"edge\\"",state="unreachable"} 1',
      `tally_switch_state{${core},state="up"} 1`,
      `tally_switch_uptime_seconds{${core}} 3600`,
      `tally_switch_last_poll_age_seconds{${core}} 1.5`,
      `tally_switch_ping_rtt_seconds{${core}} 0.002`,
      `tally_switch_port_oper_up{${core},if_index="1",port="Gi1/0/1"} 1`,
      `tally_switch_port_oper_up{${core},if_index="2",port="Gi1/0/2"} 0`,
      `tally_switch_port_oper_status{${core},if_index="2",port="Gi1/0/2"} 2`,
      `tally_switch_port_in_bytes_per_second{${core},if_index="1",port="Gi1/0/1"} 1000`,
      `tally_switch_port_out_bytes_per_second{${core},if_index="1",port="Gi1/0/1"} 2000`,
      `tally_switch_port_speed_bytes_per_second{${core},if_index="1",port="Gi1/0/1"} 125000000`,
      `tally_switch_port_out_errors_per_second{${core},if_index="1",port="Gi1/0/1"} 0.5`,
      `tally_host_uplink_state{host_id="tc-2",host="tc-2",switch_id="core",switch="sw \\"core\\"",port="2",state="down"} 1`,
      'tally_host_network_reachability{host_id="tc-2",host="tc-2",state="unreachable"} 1',
      'tally_spof_advisories 1',
    ]);
    assert.ok(!got.some((l) => l.startsWith(`tally_switch_port_in_bytes_per_second{${core},if_index="2"`)), 'no rate yet: left out, not 0');
    assert.ok(!got.some((l) => l.includes('switch_id="edge"') && l.startsWith('tally_switch_uptime_seconds')), 'an unpolled switch has no uptime');
    assert.ok(!got.some((l) => l.startsWith('tally_host_network_reachability{host_id="o-1"')), 'a host without uplinks has no verdict');
    assert.equal(ifStatusCode('lowerLayerDown'), 7);
  });

  it('reports the stream × origin map against minOrigins and what each origin carries alone', () => {
    const got = lines(consoleMetricsText(snapshot()));
    expectLines(got, [
      'tally_origins{state="ok"} 1',
      'tally_origins{state="api-error"} 1',
      'tally_streams 3',
      'tally_stream_live_origins{app="live",stream="news"} 2',
      'tally_stream_below_min_origins{app="live",stream="news"} 0',
      'tally_stream_min_origins{app="live",stream="music"} 1',
      'tally_stream_below_min_origins{app="live",stream="music"} 0',
      'tally_stream_below_min_origins{app="live",stream="gone"} 1',
      'tally_stream_dark{app="live",stream="gone"} 1',
      'tally_stream_dark{app="live",stream="news"} 0',
      'tally_stream_expected{app="live",stream="gone"} 1',
      'tally_origin_loss_dark_streams{host_id="o-1",host="origin-1"} 1',
      'tally_origin_loss_players{host_id="o-1",host="origin-1"} 3',
    ]);
  });

  it('reports replica sets: healthy members, differing hours, missing ranges, gap age and resync progress', () => {
    const got = lines(consoleMetricsText(snapshot()));
    const b = 'stream="lab-1",host_id="arc-b",host="arc-b"';
    expectLines(got, [
      'tally_archive_recovery_mode 1',
      'tally_archive_sets 1',
      'tally_archive_set_members{stream="lab-1"} 2',
      'tally_archive_set_healthy_members{stream="lab-1"} 1',
      'tally_archive_set_identity{stream="lab-1",state="diverged"} 1',
      'tally_archive_set_differing_digests{stream="lab-1"} 1',
      'tally_archive_set_unrepairable_segments{stream="lab-1"} 1',
      'tally_archive_set_compare_age_seconds{stream="lab-1"} 3',
      `tally_archive_member_missing_ranges{${b}} 2`,
      `tally_archive_member_missing_segments{${b}} 7`,
      `tally_archive_member_missing_seconds{${b}} 14`,
      `tally_archive_member_missing_bytes{${b}} 700`,
      `tally_archive_member_oldest_gap_age_seconds{${b}} 60`,
      'tally_archive_member_missing_ranges{stream="lab-1",host_id="arc-a",host="arc-a"} 0',
      'tally_archive_set_resync_jobs{stream="lab-1",state="running"} 2',
      'tally_archive_set_resync_jobs{stream="lab-1",state="done"} 1',
      'tally_archive_set_resync_remaining_bytes{stream="lab-1"} 3000',
      'tally_archive_set_resync_progress_ratio{stream="lab-1"} 0.25',
      'tally_archive_set_resync_throughput_bytes_per_second{stream="lab-1"} 2000',
      'tally_archive_set_resync_eta_seconds{stream="lab-1"} 5',
      'tally_storage_group_members{group="media"} 2',
      'tally_storage_group_healthy_members{group="media"} 1',
      'tally_storage_group_active_members{group="media"} 1',
      'tally_storage_group_identity{group="media",state="identical"} 1',
    ]);
    assert.ok(!got.some((l) => l.startsWith('tally_archive_member_oldest_gap_age_seconds{stream="lab-1",host_id="arc-a"')), 'no gap: no age');
    const idle = lines(consoleMetricsText(snapshot({ archive: { ...archive, replicaSets: [{ ...set, jobs: [] }] } })));
    expectLines(idle, ['tally_archive_set_resync_remaining_bytes{stream="lab-1"} 0']);
    assert.ok(!idle.some((l) => l.startsWith('tally_archive_set_resync_progress_ratio')), 'no running job: no progress');
  });

  it('counts findings by source and severity, zeros included', () => {
    const got = lines(consoleMetricsText(snapshot()));
    expectLines(got, ['tally_findings{source="network",severity="warning"} 2', 'tally_findings{source="archive",severity="major"} 1', 'tally_findings{source="origins",severity="critical"} 0']);
  });

  it('leaves out a part the console could not read', () => {
    const text = consoleMetricsText(snapshot({ network: null, origins: null, archive: null, findings: null }));
    for (const prefix of ['tally_switch', 'tally_stream', 'tally_origin', 'tally_archive', 'tally_storage', 'tally_findings', 'tally_spof']) assert.ok(!text.includes(prefix), prefix);
  });
});
