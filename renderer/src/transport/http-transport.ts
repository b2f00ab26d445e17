import type { CommandInput, CommandName, CommandOutput, QueryInput, QueryName, QueryOutput, TallyEvent, Transport } from '../../../main/core/api';
import { signedInName } from '../state/operator-session';
import type { ConnectionListener, UiTransport } from './ui-transport';

export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'tally.token';

/** Takes `?token=` from the address bar once, keeps it for this tab, and removes it from the visible URL. */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function operatorName(): string | null {
  return signedInName();
}

/** The `tally serve` transport: POST for queries and commands, one WebSocket for events that reconnects by itself. */
export function createHttpTransport(token: string): UiTransport {
  const listeners = new Set<(event: TallyEvent) => void>();
  const connectionListeners = new Set<ConnectionListener>();
  let ws: WebSocket | null = null;
  let retryMs = 500;
  let connected = false;

  async function call(kind: 'query' | 'command', name: string, input: unknown): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const operator = operatorName();
    if (operator) headers['x-tally-operator'] = encodeURIComponent(operator);
    const res = await fetch(`/api/${kind}/${name}`, { method: 'POST', headers, body: JSON.stringify(input === undefined ? {} : input) });
    const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as { value?: unknown; error?: string; code?: string };
    if (!res.ok) throw new CallError(body.code ?? String(res.status), body.error ?? `HTTP ${res.status}`);
    return body.value;
  }

  function setConnected(up: boolean): void {
    if (connected === up) return;
    connected = up;
    for (const l of connectionListeners) l(up);
  }

  function open(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
    ws = socket;
    socket.onopen = () => {
      retryMs = 500;
      setConnected(true);
    };
    socket.onmessage = (message) => {
      let event: TallyEvent;
      try {
        event = JSON.parse(String(message.data)) as TallyEvent;
      } catch (err) {
        console.error('tally: dropped an event that is not JSON', err);
        return;
      }
      for (const l of listeners) l(event);
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      setConnected(false);
      setTimeout(open, retryMs);
      retryMs = Math.min(5000, retryMs * 2);
    };
  }
  open();

  const transport: Transport & UiTransport = {
    kind: 'http',
    query: <K extends QueryName>(name: K, input: QueryInput<K>) => call('query', name, input) as Promise<QueryOutput<K>>,
    command: <K extends CommandName>(name: K, input: CommandInput<K>) => call('command', name, input) as Promise<CommandOutput<K>>,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
  };
  return transport;
}
