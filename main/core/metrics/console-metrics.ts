/**
 * Gathers the console's Prometheus figures from a running engine. Reads go through the same query handlers the UI
 * uses (as a viewer), so /metrics can never show more than a viewer may see.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CallContext, Severity } from '../api';
import type { TallyConsole } from '../console';
import { consoleMetricsText, type ConsoleMetricsSnapshot } from './prometheus-text';

const VIEWER: CallContext = { access: 'viewer', operator: null, transport: 'http' };
const NS_PER_SECOND = 1e9;

export interface ConsoleMetrics {
  /** The text for one scrape; event-loop figures cover the time since the previous scrape. */
  render(): Promise<string>;
  stop(): void;
}

export function createConsoleMetrics(engine: TallyConsole, now: () => number = Date.now): ConsoleMetrics {
  const startedAt = now();
  const journalEntries: Partial<Record<Severity, number>> = {};
  const unsubscribe = engine.journal.onAppend((entry) => {
    journalEntries[entry.severity] = (journalEntries[entry.severity] ?? 0) + 1;
  });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();

  /** A part the console cannot read leaves its families out (as the UI would say it cannot show it); never the whole scrape. */
  const read = <T>(query: () => Promise<T>): Promise<T | null> => query().catch(() => null);

  async function snapshot(): Promise<ConsoleMetricsSnapshot> {
    const q = engine.handlers.queries;
    const operations = await q['failover.operations']({ limit: 200 }, VIEWER);
    const alerts = await q['alerts.list']({ resolvedLimit: 0 }, VIEWER);
    // One bulk overview per part (the same the UI gets), read once per scrape: no per-host or per-switch queries.
    const [network, origins, archive, findings] = await Promise.all([
      read(() => q['network.overview']({}, VIEWER)),
      read(() => q['origins.overview']({}, VIEWER)),
      read(() => q['archive.overview']({}, VIEWER)),
      read(() => q['findings.list']({}, VIEWER)),
    ]);
    const cluster = await read(() => q['cluster.status']({}, VIEWER));
    const eventLoopLag =
      lag.count > 0
        ? { p50Seconds: lag.percentile(50) / NS_PER_SECOND, p99Seconds: lag.percentile(99) / NS_PER_SECOND, maxSeconds: lag.max / NS_PER_SECOND }
        : null;
    lag.reset();
    return {
      nowMs: now(),
      uptimeSeconds: (now() - startedAt) / 1000,
      hosts: engine.fleet.views(),
      operations,
      openAlerts: alerts.stateProblem ? null : alerts.open,
      journalEntries: { ...journalEntries },
      eventLoopLag,
      network,
      origins,
      archive,
      findings,
      cluster,
      memory: process.memoryUsage(),
    };
  }

  return {
    render: async () => consoleMetricsText(await snapshot()),
    stop() {
      unsubscribe();
      lag.disable();
    },
  };
}
