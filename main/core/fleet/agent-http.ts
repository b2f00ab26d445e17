/**
 * The console's HTTP requests to agents (API checks, probes, config fetches, commands), on node:http with one
 * keep-alive pool for all agents.
 *
 * Why not `fetch`: at 1,000 agents the console makes a few hundred requests a second (an API check per host every
 * tMain, and 20,000 config fetches when it first meets a plant). Each `fetch` built a Request, a Response, Headers, web
 * streams and an `AbortSignal.timeout` that lived for the whole timeout, so most of that survived into V8's old
 * generation; and undici kept a pool of idle clients for every agent it ever reached. node:http does the same job with
 * a plain timer we clear as soon as the answer is in.
 */
import http from 'node:http';

/** Idle keep-alive sockets are closed after this; agents keep theirs 15 s (AGENT_KEEP_ALIVE_MS), so we close first. */
const IDLE_SOCKET_MS = 10_000;
/** Largest answer read from an agent; anything bigger is refused, not buffered. */
export const MAX_AGENT_ANSWER_BYTES = 256 * 1024 * 1024;

/**
 * No cap on sockets per agent here: the link already holds commands and fetches to MAX_REQUESTS_IN_FLIGHT, and the
 * detector's probes must never queue — when a group of hosts goes silent at once, all their probe rounds ask the same
 * two healthy peers, and a cap of 8 made most of those rounds time out waiting for a socket (no host was ever declared
 * down). Idle sockets kept per agent are capped.
 */
const pool = new http.Agent({ keepAlive: true, maxFreeSockets: 4, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' });

export interface AgentAnswer {
  status: number;
  text: string;
}

/** A request that got no complete answer in time (the name the callers and agentFailure know). */
export class AgentTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * One request to `address` ("host:port") with the agent's bearer token. Resolves with the status and body of any
 * answer; rejects on a network error, a timeout (AgentTimeoutError) or an answer over MAX_AGENT_ANSWER_BYTES.
 * A pooled keep-alive socket the agent closed just as the request went out (its idle timeout) is retried once on a
 * fresh socket: the agent never read that request, so sending it again is safe, POSTs included.
 */
export async function agentHttp(address: string, token: string, method: string, path: string, body: unknown, timeoutMs: number): Promise<AgentAnswer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  try {
    return await once(address, token, method, path, payload, timeoutMs);
  } catch (err) {
    if (!(err as StaleSocket).staleSocket) throw err;
    return once(address, token, method, path, payload, timeoutMs);
  }
}

type StaleSocket = Error & { staleSocket?: boolean };

function once(address: string, token: string, method: string, path: string, payload: Buffer | undefined, timeoutMs: number): Promise<AgentAnswer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}` };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const req = http.request(`http://${address}${path}`, { method, headers, agent: pool });
    let answered = false;
    const fail = (err: StaleSocket) => {
      clearTimeout(timer);
      if (!answered && req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') err.staleSocket = true;
      reject(err);
    };
    /** Settles with `err` and drops the socket (a late answer on it would be read by nobody). */
    const abandon = (err: Error) => {
      fail(err);
      req.destroy(err);
    };
    const timer = setTimeout(() => abandon(new AgentTimeoutError(`the agent at ${address} did not answer ${method} ${path} within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', fail);
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_AGENT_ANSWER_BYTES) {
          abandon(new Error(`the agent at ${address} answered ${method} ${path} with more than ${MAX_AGENT_ANSWER_BYTES} bytes; refused`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks, size).toString('utf8') });
      });
      res.on('error', fail);
    });
    req.end(payload);
  });
}
