/**
 * Runs the console's real switch monitor in whatever network namespace it is started in (`ip netns exec NS node
 * --import tsx switch-poll-loop.ts '<json>'`) and prints one JSON line per poll: the switch view and its events.
 * Exits on its own after `maxMs` so a test that dies cannot leave it behind for long.
 */
import { systemClock } from '../../../main/core/clock';
import { createSwitchMonitor } from '../../../main/core/network/switch-monitor';
import { SwitchSpec } from '../../../main/core/network/switch-spec';

const args = JSON.parse(process.argv[2] ?? '{}') as { spec: unknown; maxMs?: number };
const spec = SwitchSpec.parse(args.spec);
const monitor = createSwitchMonitor(spec, {
  clock: systemClock,
  onUpdate: (view, events) => process.stdout.write(`${JSON.stringify({ view, events })}\n`),
  log: (level, message) => process.stderr.write(`${level}: ${message}\n`),
});
monitor.start();
const stop = () => {
  monitor.stop();
  process.exit(0);
};
setTimeout(stop, args.maxMs ?? 60_000);
process.on('SIGTERM', stop);
