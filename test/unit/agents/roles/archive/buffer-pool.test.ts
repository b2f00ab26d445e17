import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferPool } from '../../../../../agents/roles/archive/buffer-pool';

test('BufferPool: a released buffer is handed out again for the same size class; releasing twice is harmless', () => {
  const pool = new BufferPool(2, 30_000);
  const a = pool.take(1_500_000, 0);
  assert.equal(a.buf.length, 1_500_000);
  a.release();
  a.release();
  const b = pool.take(2_000_000, 1);
  assert.equal(b.buf.buffer, a.buf.buffer, 'same backing memory (2 MiB class)');
  const c = pool.take(2_000_000, 2);
  assert.notEqual(c.buf.buffer, b.buf.buffer, 'a buffer in use is never handed out twice');
});

test('BufferPool: keeps at most maxKept buffers and drops them after idling', () => {
  const pool = new BufferPool(1, 1000);
  const a = pool.take(10, 0);
  const b = pool.take(10, 0);
  a.release();
  b.release();
  assert.equal(pool.take(10, 1).buf.buffer, a.buf.buffer);
  const d = pool.take(10, 2);
  assert.notEqual(d.buf.buffer, b.buf.buffer, 'b was not kept: the pool was full');
  d.release();
  assert.notEqual(pool.take(10, 5000).buf.buffer, d.buf.buffer, 'idle buffers are dropped');
});

test('BufferPool: kept buffers are dropped by the idle timer even if nobody takes one again', async () => {
  const pool = new BufferPool(4, 30);
  const a = pool.take(10, 0);
  a.release();
  await new Promise((r) => setTimeout(r, 150));
  assert.notEqual(pool.take(10, 0).buf.buffer, a.buf.buffer, 'dropped by the timer, not by take');
});
