import type { TallyProcess } from './tally-process';

/** Calls a running `tally serve` as the desk does: POST /api/{query|command}/NAME with the operator token. */
export function consoleApi(tally: () => TallyProcess, operator = 'test') {
  return async <T>(kind: 'query' | 'command', name: string, body: unknown): Promise<T> => {
    const url = new URL(tally().deskUrl);
    const res = await fetch(`${url.origin}/api/${kind}/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json', 'x-tally-operator': operator },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { value?: T; error?: string };
    if (!res.ok) throw new Error(`${name}: ${json.error}`);
    return json.value as T;
  };
}
