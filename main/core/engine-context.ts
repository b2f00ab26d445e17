/**
 * What every engine module is built from, and the shape it gives back. console.ts builds the context once and spreads
 * each module's handlers into the one Handlers map; TypeScript then checks that every call of api.ts is served.
 */
import type { CommandHandlers, CommandName, QueryHandlers, QueryName, Settings, TallyEvent } from './api';
import type { Clock } from './clock';
import type { FleetMonitor } from './fleet/fleet-monitor';
import type { Inventory } from './fleet/inventory';
import type { Journal } from './journal/journal';
import type { KeyValueStore } from './store/store';

export type LogFn = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface EngineContext {
  clock: Clock;
  journal: Journal;
  fleet: FleetMonitor;
  inventory: Inventory;
  store: KeyValueStore;
  dataDir: string;
  settings(): Settings;
  emit(event: TallyEvent): void;
  log: LogFn;
}

export interface EngineModule<Q extends QueryName = never, C extends CommandName = never> {
  queries: Pick<QueryHandlers, Q>;
  commands: Pick<CommandHandlers, C>;
  start?(): void;
  stop?(): void | Promise<void>;
}
