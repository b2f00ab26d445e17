import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OriginSettings } from '../../../../main/core/origins/matrix-view';
import { originLossImpact, originLossImpacts } from '../../../../main/core/origins/origin-impact';
import { buildOriginMatrix } from '../../../../main/core/origins/origin-matrix';
import { streamOriginGroups } from '../../../../main/core/origins/stream-origin-groups';
import { origin, stream } from './origin-reports';

const matrix = buildOriginMatrix([
  origin('h-o1', [stream('live/only-o1', { clients: 7 }), stream('live/both'), stream('live/three')]),
  origin('h-o2', [stream('live/both'), stream('live/three')]),
  origin('h-o3', [stream('live/three'), stream('live/idle', { publishing: false })]),
]);
const settings = OriginSettings.parse({ minOrigins: 2 });

describe('what goes dark if an origin dies', () => {
  it('lists the streams only that origin carries, and those that fall below the minimum', () => {
    assert.deepEqual(originLossImpact(matrix, 'h-o1', settings), {
      hostId: 'h-o1',
      dark: [{ key: 'live/only-o1', clients: 7, remaining: [] }],
      belowMin: [{ key: 'live/both', clients: 0, remaining: ['h-o2'] }],
      playersCut: 7,
    });
  });

  it('an origin carrying only redundant streams takes nothing dark', () => {
    const impact = originLossImpact(matrix, 'h-o3', settings);
    assert.deepEqual(impact.dark, []);
    assert.deepEqual(impact.belowMin, []);
  });

  it('ranks origins by what their loss would take off the air', () => {
    assert.deepEqual(originLossImpacts(matrix, settings).map((i) => [i.hostId, i.dark.length, i.belowMin.length]), [
      ['h-o1', 1, 1],
      ['h-o2', 0, 1],
      ['h-o3', 0, 0],
    ]);
  });

  it('gives the origins of each redundant stream as groups for the single-point-of-failure rule', () => {
    assert.deepEqual(streamOriginGroups(matrix), [
      { key: 'stream-origins:live/both', kind: 'stream-origins', label: 'live/both', members: [{ id: 'h-o1', name: 'o1' }, { id: 'h-o2', name: 'o2' }] },
      {
        key: 'stream-origins:live/three',
        kind: 'stream-origins',
        label: 'live/three',
        members: [{ id: 'h-o1', name: 'o1' }, { id: 'h-o2', name: 'o2' }, { id: 'h-o3', name: 'o3' }],
      },
    ]);
  });
});
