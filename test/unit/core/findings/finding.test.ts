import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffFindings, type Finding } from '../../../../main/core/findings/finding';

const f = (key: string, over: Partial<Finding> = {}): Finding => ({
  key, kind: 'k', severity: 'major', hostId: null, summary: key, hostDown: false, fix: null, related: [], ...over,
});

describe('finding changes', () => {
  it('raises new and changed findings, clears the gone ones, leaves the unchanged alone', () => {
    const before = [f('a'), f('b'), f('c'), f('d', { related: ['x'] })];
    const after = [f('a'), f('b', { severity: 'critical' }), f('d', { related: ['x', 'y'] }), f('e')];
    const { raised, cleared } = diffFindings(before, after);
    assert.deepEqual(raised.map((r) => r.key), ['b', 'd', 'e']);
    assert.deepEqual(cleared, ['c']);
  });
});
