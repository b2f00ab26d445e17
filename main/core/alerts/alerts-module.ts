/**
 * The alerts module: the alert engine fed by the fleet (health, link, role, removal) and a one-second tick, the
 * operator's alert commands, the wall's alarm, and — because the shift report needs the alert state — the shift
 * calls of journal/shift-handlers.ts. console.ts creates it with one line.
 */
import type { CallContext } from '../api';
import { ApiError } from '../dispatch';
import type { EngineContext, EngineModule } from '../engine-context';
import { createShiftHandlers, operatorOf } from '../journal/shift-handlers';
import { AlertRunner } from './alert-runner';
import type { Alert, AlertEvent, Silence } from './alert-schemas';
import type { AlertCommandName, AlertQueryName } from './alerts-contract';
import { feedHostAlerts, type HostAlertFeed } from './host-alert-feed';
import { hostKeyPrefix } from './host-alert-signals';

const TICK_MS = 1000;
export const CONSOLE_ISOLATED_KEY = 'console:isolated';

export interface AlertsModule extends EngineModule<AlertQueryName, AlertCommandName> {
  /** The engine's shell: other modules feed their raise/clear/topology events through `runner.send` (the findings board does). */
  readonly runner: AlertRunner;
}

export function createAlertsModule(ctx: EngineContext): AlertsModule {
  const runner = new AlertRunner(ctx);
  const shift = createShiftHandlers(ctx, () => runner.engineState);
  let feed: HostAlertFeed | null = null;
  let ticker: { cancel(): void } | null = null;
  let wasIsolated: boolean | null = null;

  /** One alert for "the console cannot hear the fleet", in place of one per silent host. */
  const followIsolation = () => {
    const { isolated, silent, monitored } = ctx.fleet.fleetStatus();
    if (isolated === wasIsolated) return;
    wasIsolated = isolated;
    runner.send(
      isolated
        ? { type: 'raise', key: CONSOLE_ISOLATED_KEY, kind: 'console.isolated', severity: 'major', hostId: null, summary: `console isolated: ${silent} of ${monitored} hosts silent at once — suspecting the console's own network`, hostDown: false }
        : { type: 'clear', key: CONSOLE_ISOLATED_KEY },
    );
  };

  /** Applies an operator's event; a refusal is journalled and returned to the caller as an error. */
  const command = (event: AlertEvent, call: CallContext, what: string): void => {
    const refused = runner.send(event);
    if (refused === null) return;
    ctx.journal.append({ kind: 'alert.command-refused', severity: 'warning', operator: operatorOf(call), message: `${operatorOf(call)} could not ${what}: ${refused}` });
    throw new ApiError(/^no (alert|silence) /.test(refused) ? 'not-found' : 'conflict', refused);
  };

  const alertAfter = (id: string): Alert => {
    const alert = runner.alert(id);
    if (!alert) throw new ApiError('not-found', `no alert ${id}`);
    return alert;
  };

  return {
    runner,
    queries: {
      'alerts.list': async ({ resolvedLimit }) => runner.list(resolvedLimit),
      'silences.list': async () => [...runner.engineState.silences],
      'alarm.get': async () => runner.alarm(),
      ...shift.queries,
    },
    commands: {
      'alert.ack': async ({ id, comment }, call) => {
        command({ type: 'ack', alertId: id, operator: operatorOf(call), comment }, call, `acknowledge alert ${id}`);
        return alertAfter(id);
      },
      'alert.resolve': async ({ id, comment }, call) => {
        command({ type: 'resolve', alertId: id, operator: operatorOf(call), comment }, call, `resolve alert ${id}`);
        return alertAfter(id);
      },
      'silence.add': async ({ matcher, durationMs, comment }, call) => {
        const before = new Set(runner.engineState.silences.map((s) => s.id));
        command({ type: 'silence.add', matcher, operator: operatorOf(call), comment, expiresAtMs: ctx.clock.now() + durationMs }, call, 'add a silence');
        return runner.engineState.silences.find((s) => !before.has(s.id)) as Silence;
      },
      'silence.remove': async ({ id }, call) => {
        command({ type: 'silence.remove', silenceId: id, operator: operatorOf(call) }, call, `remove silence ${id}`);
        return { removed: id };
      },
      'alarm.mute': async ({ muted }, call) => {
        command({ type: 'mute', muted, operator: operatorOf(call) }, call, muted ? 'mute the alarm' : 'unmute the alarm');
        return runner.alarm();
      },
      'alarm.volume': async ({ volumePct }, call) => {
        runner.setVolume(volumePct);
        ctx.journal.append({ kind: 'alerts.volume', operator: operatorOf(call), message: `${operatorOf(call)} set the alarm volume to ${volumePct}%`, data: { volumePct, outcome: 'ok' } });
        return runner.alarm();
      },
      ...shift.commands,
    },
    start() {
      feed = feedHostAlerts(ctx.fleet, (event) => runner.send(event));
      followIsolation();
      feed.reconcile();
      forgetVanishedHosts(ctx, runner);
      ticker = ctx.clock.setInterval(() => {
        followIsolation();
        feed?.reconcile();
        runner.send({ type: 'tick' });
      }, TICK_MS);
    },
    stop() {
      ticker?.cancel();
      feed?.stop();
      runner.flush();
    },
  };
}

/** Host alerts kept from before a restart whose host left the inventory meanwhile: resolve them as removed. */
function forgetVanishedHosts(ctx: EngineContext, runner: AlertRunner): void {
  const gone = new Set(
    runner.engineState.open.filter((a) => a.hostId !== null && a.key.startsWith(hostKeyPrefix(a.hostId)) && !ctx.fleet.runtime(a.hostId)).map((a) => a.hostId!),
  );
  for (const hostId of gone) runner.send({ type: 'host.removed', hostId, operator: null });
}
