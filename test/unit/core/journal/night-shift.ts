/**
 * A night shift played through the real pieces: the alert engine (pure), a real Journal in a temp folder and a fake
 * clock, with the console's part (performing journal effects, journalling health changes) done by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initialAlertState, next } from '../../../../main/core/alerts/alert-engine';
import { alertHistory, openAlertByKey } from '../../../../main/core/alerts/alert-queries';
import type { AlertEngineState, AlertEvent } from '../../../../main/core/alerts/alert-schemas';
import { type HostSignalView, hostAlertEvents } from '../../../../main/core/alerts/host-alert-signals';
import type { HealthState, JournalEntry } from '../../../../main/core/api';
import { FakeClock } from '../../../../main/core/clock';
import { Journal } from '../../../../main/core/journal/journal';
import type { HandoverInput } from '../../../../main/core/journal/handover';

export const SHIFT_START_MS = Date.UTC(2025, 2, 1, 22, 0, 0);
export const SHIFT_END_MS = Date.UTC(2025, 2, 2, 6, 0, 0);
export const HOST_NAMES = { h1: 'enc-01', h2: 'enc-02', h3: 'enc-03', sw1: 'sw-1', arc1: 'arc-1' };

export interface PlayedShift {
  input: HandoverInput;
  entries: JournalEntry[];
  alertState: AlertEngineState;
  clock: FakeClock;
  cleanup(): void;
}

export function playNightShift(): PlayedShift {
  const dir = mkdtempSync(path.join(tmpdir(), 'tally-handover-'));
  const clock = new FakeClock(SHIFT_START_MS - 60_000);
  const journal = new Journal(dir, () => clock.now());
  let alerts = initialAlertState();
  const views = new Map<string, HostSignalView>();

  const at = (hh: number, mm: number, ss = 0) => {
    const day = hh < 12 ? 2 : 1;
    const target = Date.UTC(2025, 2, day, hh, mm, ss);
    clock.advance(target - clock.now());
  };
  const engine = (event: AlertEvent) => {
    const step = next(alerts, event, clock.now());
    alerts = step.state;
    for (const effect of step.effects) if (effect.type === 'journal') journal.append(effect.entry);
    return step.effects;
  };
  const health = (id: keyof typeof HOST_NAMES, to: HealthState, tellEngine = true) => {
    const before = views.get(id) ?? hostView(id, 'ok');
    const after = { ...before, health: to };
    views.set(id, after);
    journal.append({ kind: 'host.health', severity: to === 'down' ? 'critical' : 'info', hostId: id, message: `${HOST_NAMES[id]} is ${to} (was ${before.health})`, data: { from: before.health, to } });
    if (tellEngine) for (const event of hostAlertEvents(before, after)) engine(event);
  };

  engine({ type: 'topology', parents: { h3: ['sw1'] } });
  at(22, 0, 5);
  journal.append({ kind: 'operator.signin', operator: 'alice', message: 'alice signed in' });
  at(22, 10);
  health('h1', 'attention');
  at(22, 10, 2);
  health('h1', 'down');
  at(22, 12);
  engine({ type: 'ack', alertId: openAlertByKey(alerts, 'host:h1:health')!.id, operator: 'alice', comment: 'rebooting the encoder' });
  at(22, 13);
  const failover = journal.append({ kind: 'failover.started', operator: 'alice', hostId: 'h1', message: 'alice moved 3 channels from enc-01 to enc-r1' });
  at(22, 13, 4);
  journal.append({ kind: 'failover.finished', hostId: 'h1', message: '3 channels running on enc-r1 after 4.1 s', data: { actionId: failover.id, outcome: 'ok' } });
  at(22, 25);
  health('h1', 'ok');
  at(23, 0);
  journal.append({ kind: 'config.out-of-band', severity: 'warning', hostId: 'h2', message: 'channel c4.json changed on the host (sha256 ab12…)' });
  at(1, 0);
  journal.append({ kind: 'note', operator: 'alice', message: 'enc-01 PSU fan is noisy; ticket 4711' });
  at(2, 0);
  health('sw1', 'down');
  at(2, 0, 3);
  health('h3', 'down');
  at(2, 5);
  engine({ type: 'silence.add', matcher: { keyPrefix: 'origin:' }, operator: 'alice', comment: 'origin upgrade', expiresAtMs: Date.UTC(2025, 2, 2, 8, 0) });
  at(3, 0);
  health('arc1', 'down', false);
  at(3, 4);
  health('arc1', 'ok', false);
  at(5, 30);
  journal.append({ kind: 'operator.signin', operator: 'bob', message: 'bob signed in' });
  at(5, 45);
  journal.append({ kind: 'note', operator: 'bob', message: 'sw-1 vendor called back, RMA opened' });
  at(6, 0);

  const { entries, damagedLines } = journal.read(SHIFT_START_MS, SHIFT_END_MS);
  journal.close();
  return {
    entries,
    alertState: alerts,
    clock,
    input: {
      window: { fromMs: SHIFT_START_MS, toMs: SHIFT_END_MS },
      generatedAtMs: clock.now(),
      entries,
      damagedJournalLines: damagedLines,
      alerts: alertHistory(alerts),
      silences: alerts.silences,
      maintenanceHostIds: alerts.maintenanceHostIds,
      hostNames: HOST_NAMES,
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function hostView(id: keyof typeof HOST_NAMES, health: HealthState): HostSignalView {
  return { id, name: HOST_NAMES[id], role: 'main', health, link: 'connected', linkError: null };
}
