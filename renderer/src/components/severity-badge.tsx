import type { Alert } from '../state/alerts-slice';

const LABEL: Record<Alert['severity'], string> = { critical: 'CRITICAL', major: 'MAJOR', minor: 'MINOR', warning: 'WARNING', info: 'INFO' };

/** Severity by colour, icon and word: never by colour alone. */
export function SeverityIcon({ severity, size = 15 }: { severity: Alert['severity']; size?: number }) {
  const common = { width: size, height: size, viewBox: '0 0 24 24', 'aria-hidden': true, className: 'state-icon' } as const;
  switch (severity) {
    case 'critical':
      return (
        <svg {...common}>
          <path d="M8 2h8l6 6v8l-6 6H8l-6-6V8z" fill="currentColor" />
          <path d="M12 6.5v7M12 16.8v.4" stroke="#111" strokeWidth="2.8" strokeLinecap="round" />
        </svg>
      );
    case 'major':
      return (
        <svg {...common}>
          <path d="M12 3L22 20H2z" fill="currentColor" />
          <path d="M12 9v5M12 16.8v.4" stroke="#111" strokeWidth="2.6" strokeLinecap="round" />
        </svg>
      );
    case 'minor':
    case 'warning':
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="3" />
          <path d="M12 7v6M12 16.3v.4" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" />
        </svg>
      );
    case 'info':
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2.6" />
          <path d="M12 11v6M12 7.3v.4" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" />
        </svg>
      );
  }
}

export function SeverityBadge({ severity, big = false }: { severity: Alert['severity']; big?: boolean }) {
  return (
    <span className={`badge sev-badge sev-${severity}${big ? ' badge-big' : ''}`} data-severity={severity}>
      <SeverityIcon severity={severity} size={big ? 36 : 15} />
      <span>{LABEL[severity]}</span>
    </span>
  );
}

/** How an open alert stands, in words: firing, acknowledged by whom, or why it is quiet. */
export function alertStandingText(alert: Alert): string {
  if (alert.status === 'resolved') return alert.resolvedBy ? `resolved by ${alert.resolvedBy}` : `resolved (${alert.resolveReason ?? 'cleared'})`;
  const quiet = alert.suppressedBy;
  if (quiet?.reason === 'maintenance') return 'quiet: host in maintenance';
  if (quiet?.reason === 'parent') return 'folded under its root cause';
  if (quiet?.reason === 'silence') return 'silenced';
  if (alert.status === 'acknowledged') return `acknowledged by ${alert.ack?.by ?? 'someone'}`;
  return alert.flapping ? 'firing (flapping)' : 'firing';
}
