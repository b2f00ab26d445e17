/**
 * Reboot detection from sysUpTime (TimeTicks: centiseconds since the SNMP agent started, 32 bits, wraps after
 * ~497 days). Between two polls the uptime must advance by about the time that passed; if it advanced much less
 * (or went back, and that is not the wrap), the agent restarted in between — the switch rebooted, or its SNMP agent
 * was restarted, which resets the interface counters just the same.
 */

export interface UptimeReading {
  atMs: number;
  sysUpTimeCs: number;
}

export type RestartVerdict = { restarted: false } | { restarted: true; bootAtMs: number };

const TICKS_MOD = 2 ** 32;
/** Slack for request latency and clock drift: 5 s, or a tenth of the interval when polls are far apart. */
export function uptimeToleranceCs(elapsedCs: number): number {
  return Math.max(500, elapsedCs * 0.1);
}

export function detectRestart(prev: UptimeReading, curr: UptimeReading): RestartVerdict {
  const elapsedCs = (curr.atMs - prev.atMs) / 10;
  const tolerance = uptimeToleranceCs(elapsedCs);
  const continued =
    curr.sysUpTimeCs >= prev.sysUpTimeCs
      ? curr.sysUpTimeCs - prev.sysUpTimeCs >= elapsedCs - tolerance
      : Math.abs(TICKS_MOD - prev.sysUpTimeCs + curr.sysUpTimeCs - elapsedCs) <= tolerance;
  return continued ? { restarted: false } : { restarted: true, bootAtMs: curr.atMs - curr.sysUpTimeCs * 10 };
}
