import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../../main/core/dispatch';
import { agentFailure } from '../../../../main/core/transcoders/agent-failure';

const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });

describe('agentFailure', () => {
  const cases: [string, unknown, string, string][] = [
    ['a refused config is bad input', new Error('agent answered 400: channel news: the config is invalid: video.fps: Too big'), 'bad-input', 'tc-1/news: channel news: the config is invalid: video.fps: Too big'],
    ['an oversized config is bad input', new Error('agent answered 413: a channel config of 90000 bytes is over the limit'), 'bad-input', 'tc-1/news: a channel config of 90000 bytes is over the limit'],
    ['a missing channel is not found', new Error('agent answered 404: no channel news on this host'), 'not-found', 'tc-1/news: no channel news on this host'],
    ['a changed file is a conflict', new Error('agent answered 409: channel news changed on the host'), 'conflict', 'tc-1/news: channel news changed on the host'],
    ['a hash with 409 in it is not a conflict', new Error('agent answered 500: failed writing 4091ab'), 'unavailable', 'tc-1/news: failed writing 4091ab'],
    ['a refused token', new Error('agent answered 401: bad token'), 'unavailable', "tc-1/news: the agent refused the console's token (401)"],
    ['a timeout', timeout, 'unavailable', 'tc-1/news: the agent did not answer in time'],
    ['a refused connection', new TypeError('fetch failed'), 'unavailable', 'tc-1/news: the agent cannot be reached (fetch failed)'],
    ['anything else is internal', new Error('boom'), 'internal', 'tc-1/news: boom'],
  ];
  for (const [title, err, code, message] of cases) {
    it(title, () => {
      const out = agentFailure(err, 'tc-1/news');
      assert.deepEqual([out.code, out.message], [code, message]);
    });
  }

  it('passes an ApiError through as it is', () => {
    const err = new ApiError('unavailable', 'tc-1 is not connected');
    assert.equal(agentFailure(err, 'tc-1/news'), err);
  });
});
