import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricStore, RingSeries } from '../../../../main/core/metrics/ring-buffer';

describe('ring series', () => {
  it('keeps the newest samples, oldest first', () => {
    const s = new RingSeries(3);
    for (let i = 1; i <= 5; i++) s.push(i, i * 10);
    assert.deepEqual(s.toArray(), [[3, 30], [4, 40], [5, 50]]);
    assert.deepEqual(s.latest(), [5, 50]);
    assert.equal(s.size, 3);
  });

  it('downsamples to a pixel budget and always keeps the newest', () => {
    const s = new RingSeries(100);
    for (let i = 0; i < 100; i++) s.push(i, i);
    const points = s.toArray(10);
    assert.ok(points.length <= 10, `${points.length} points`);
    assert.deepEqual(points.at(-1), [99, 99]);
  });
});

describe('metric store', () => {
  it('drops samples closer than the spacing and forgets a host', () => {
    const m = new MetricStore<'cpu'>(10, 1000);
    m.record('h1', 'cpu', 0, 1);
    m.record('h1', 'cpu', 500, 2);
    m.record('h1', 'cpu', 1000, 3);
    assert.deepEqual(m.read('h1', 'cpu'), [[0, 1], [1000, 3]]);
    m.forget('h1');
    assert.deepEqual(m.read('h1', 'cpu'), []);
  });
});
