import type { CommandInput, CommandName, CommandOutput, PreloadBridge, QueryInput, QueryName, QueryOutput, TallyEvent } from '../../../main/core/api';
import type { UiTransport } from './ui-transport';

/** The Electron transport: the preload's narrow `window.tally` bridge. */
export function createIpcTransport(bridge: PreloadBridge): UiTransport {
  return {
    kind: 'ipc',
    query: <K extends QueryName>(name: K, input: QueryInput<K>) => bridge.query(name, input) as Promise<QueryOutput<K>>,
    command: <K extends CommandName>(name: K, input: CommandInput<K>) => bridge.command(name, input) as Promise<CommandOutput<K>>,
    subscribe: (listener) => bridge.onEvent((event) => listener(event as TallyEvent)),
    onConnection(listener) {
      listener(true);
      return () => {};
    },
  };
}
