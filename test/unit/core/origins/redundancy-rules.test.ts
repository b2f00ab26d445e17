import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Finding } from '../../../../main/core/findings/finding';
import { OriginSettings } from '../../../../main/core/origins/matrix-view';
import { buildOriginMatrix } from '../../../../main/core/origins/origin-matrix';
import { originFindings } from '../../../../main/core/origins/redundancy-rules';
import { origin, stream } from './origin-reports';

const defaults = OriginSettings.parse({});

describe('minOrigins rule', () => {
  it('defaults to two origins (hot backup)', () => {
    assert.equal(defaults.minOrigins, 2);
  });

  const table: [string, ReturnType<typeof origin>[], string[], { key: string; severity: string; summary: RegExp }[]][] = [
    ['a stream on two origins is fine', [origin('h-o1', [stream('live/a')]), origin('h-o2', [stream('live/a')])], [], []],
    [
      'a stream on one origin is major, naming the origin',
      [origin('h-o1', [stream('live/a')]), origin('h-o2', [])],
      [],
      [{ key: 'origin:live/a:redundancy', severity: 'major', summary: /live\/a is live on 1 origin \(o1\); 2 wanted/ }],
    ],
    [
      'an expected stream on no origin is critical',
      [origin('h-o1', [])],
      ['live/a'],
      [{ key: 'origin:live/a:redundancy', severity: 'critical', summary: /live on no origin/ }],
    ],
    [
      'a listed stream with no publisher anywhere is major, with its waiting players',
      [origin('h-o1', [stream('live/a', { publishing: false, clients: 4 })])],
      [],
      [{ key: 'origin:live/a:redundancy', severity: 'major', summary: /no origin; 4 players waiting/ }],
    ],
    [
      'a stream on an origin whose API fails counts on one only, and the origin has its own finding',
      [origin('h-o1', [stream('live/a')]), origin('h-o2', [stream('live/a')], { state: 'error', error: 'HTTP 500' })],
      [],
      [
        { key: 'origin:h-o2:api', severity: 'major', summary: /o2: the nginx-rtmp server cannot be read \(HTTP 500\)/ },
        { key: 'origin:live/a:redundancy', severity: 'major', summary: /live on 1 origin/ },
      ],
    ],
    [
      'a stream on a dead host counts there no more (the host alert covers the host)',
      [origin('h-o1', [stream('live/a')]), origin('h-o2', [stream('live/a')], { hostUp: false })],
      [],
      [{ key: 'origin:live/a:redundancy', severity: 'major', summary: /live on 1 origin/ }],
    ],
  ];
  for (const [what, reports, expected, want] of table) {
    it(what, () => {
      const findings = originFindings(buildOriginMatrix(reports, expected), defaults);
      for (const f of findings) Finding.parse(f);
      assert.equal(findings.length, want.length, JSON.stringify(findings, null, 1));
      want.forEach((w, i) => {
        assert.equal(findings[i]?.key, w.key);
        assert.equal(findings[i]?.severity, w.severity);
        assert.match(findings[i]?.summary ?? '', w.summary);
      });
    });
  }

  it('honours per-stream minimums', () => {
    const matrix = buildOriginMatrix([origin('h-o1', [stream('live/test'), stream('live/vip')]), origin('h-o2', [stream('live/vip')])]);
    const settings = OriginSettings.parse({ minOrigins: 2, minOriginsByStream: { 'live/test': 1, 'live/vip': 3 } });
    const findings = originFindings(matrix, settings);
    assert.deepEqual(findings.map((f) => f.key), ['origin:live/vip:redundancy']);
    assert.match(findings[0]!.fix ?? '', /Publish live\/vip to 1 more origin/);
  });
});
