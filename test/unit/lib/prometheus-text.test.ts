import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counter, escapeHelp, escapeLabelValue, formatValue, gauge, METRICS_CONTENT_TYPE, renderFamilies } from '../../../lib/prometheus-text';

describe('Prometheus text format', () => {
  it('escapes backslash, double quote and newline in label values, and backslash and newline in help', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeHelp('back\\slash "quoted"\nnext'), 'back\\\\slash "quoted"\\nnext');
    const text = renderFamilies([{ name: 'tally_x', help: 'line\nbreak', type: 'gauge', samples: [{ labels: { l: 'q"\n' }, value: 1 }] }]);
    assert.equal(text, '# HELP tally_x line\\nbreak\n# TYPE tally_x gauge\ntally_x{l="q\\"\\n"} 1\n');
    assert.equal(
      renderFamilies([counter('tally_y_total', 'back\\slash', [{ labels: { h: 'x"y' }, value: 3 }])]),
      '# HELP tally_y_total back\\\\slash\n# TYPE tally_y_total counter\ntally_y_total{h="x\\"y"} 3\n',
    );
  });

  it('leaves out unknown values and families with no known value', () => {
    const text = renderFamilies([
      gauge('tally_a', 'a', [{ labels: {}, value: null }]),
      gauge('tally_b', 'b', [{ labels: { k: '1' }, value: null }, { labels: { k: '2' }, value: 0 }, { labels: { k: '3' }, value: undefined }]),
    ]);
    assert.equal(text, '# HELP tally_b b\n# TYPE tally_b gauge\ntally_b{k="2"} 0\n');
    assert.equal(renderFamilies([]), '');
  });

  it('writes special values as the format spells them, several labels in order', () => {
    assert.deepEqual([NaN, Infinity, -Infinity, 0.25, 1e21].map(formatValue), ['NaN', '+Inf', '-Inf', '0.25', '1e+21']);
    assert.equal(renderFamilies([gauge('tally_z', 'z', [{ labels: { a: '1', b: '2' }, value: 5 }])]).split('\n')[2], 'tally_z{a="1",b="2"} 5');
    assert.match(METRICS_CONTENT_TYPE, /^text\/plain; version=0\.0\.4/);
  });
});
