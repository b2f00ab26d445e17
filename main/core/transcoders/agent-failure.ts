/**
 * Pure: turns a failed agent request into the error the operator sees. The agent link throws plain errors
 * ("agent answered 409: …", a network error, a timeout); the UI needs to know whether the input was wrong, the
 * thing is gone, someone changed it meanwhile, or the host cannot be reached — and on which host/channel.
 */
import { ApiError, type ApiErrorCode } from '../dispatch';

const STATUS_LINE = /^agent answered (\d{3})(?::\s*([\s\S]*))?/;

function codeOf(status: number): ApiErrorCode {
  if (status === 400 || status === 413 || status === 422) return 'bad-input';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 401 || status === 403) return 'unavailable';
  return status >= 500 ? 'unavailable' : 'internal';
}

/** `where` names the subject, e.g. "tc-1/news"; an ApiError passes through unchanged. */
export function agentFailure(err: unknown, where: string): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const answered = STATUS_LINE.exec(message);
  if (answered) {
    const status = Number(answered[1]);
    const reason = answered[2]?.trim() || `HTTP ${status}`;
    if (status === 401 || status === 403) return new ApiError('unavailable', `${where}: the agent refused the console's token (${status})`);
    return new ApiError(codeOf(status), `${where}: ${reason}`);
  }
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new ApiError('unavailable', `${where}: the agent did not answer in time`);
  if (/fetch failed|socket hang up|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE/.test(message)) {
    return new ApiError('unavailable', `${where}: the agent cannot be reached (${message})`);
  }
  return new ApiError('internal', `${where}: ${message}`);
}
