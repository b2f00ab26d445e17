import { type DisplayState, displayState, type HostView } from '../../../main/core/api';

export const STATE_LABEL: Record<DisplayState, string> = {
  ok: 'OK',
  attention: 'ATTENTION',
  down: 'DOWN',
  unknown: 'NO DATA',
  'auth-failed': 'AUTH FAILED',
  incompatible: 'INCOMPATIBLE',
  maintenance: 'MAINTENANCE',
  reserve: 'RESERVE',
  unreachable: 'UNREACHABLE',
  'fence-pending': 'FAILED OVER',
};

/** One icon per state so the state never rests on colour alone. */
export function StateIcon({ state, size = 16 }: { state: DisplayState; size?: number }) {
  const common = { width: size, height: size, viewBox: '0 0 24 24', 'aria-hidden': true, className: 'state-icon' } as const;
  switch (state) {
    case 'ok':
      return (
        <svg {...common}>
          <path d="M4 12.5l5 5L20 6.5" fill="none" stroke="currentColor" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'attention':
      return (
        <svg {...common}>
          <path d="M12 3L22 20H2z" fill="currentColor" />
          <path d="M12 9v5M12 16.8v.4" stroke="#111" strokeWidth="2.6" strokeLinecap="round" />
        </svg>
      );
    case 'down':
      return (
        <svg {...common}>
          <path d="M5 5l14 14M19 5L5 19" stroke="currentColor" strokeWidth="3.4" strokeLinecap="round" />
        </svg>
      );
    case 'auth-failed':
      return (
        <svg {...common}>
          <rect x="4" y="10" width="16" height="11" rx="2" fill="currentColor" />
          <path d="M8 10V7a4 4 0 018 0v3" fill="none" stroke="currentColor" strokeWidth="2.6" />
        </svg>
      );
    case 'maintenance':
      return (
        <svg {...common}>
          <path d="M14.5 3.5a5 5 0 00-5.9 6.6L3 15.7 8.3 21l5.6-5.6a5 5 0 006.6-5.9l-3 3-3.3-.9-.9-3.3z" fill="currentColor" />
        </svg>
      );
    case 'reserve':
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" strokeWidth="3" />
          <circle cx="12" cy="12" r="3" fill="currentColor" />
        </svg>
      );
    case 'unreachable':
      // A cut cable: the host may be fine, the path to it is not.
      return (
        <svg {...common}>
          <path d="M3 12h6M15 12h6" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
          <path d="M10.5 7l-2 10M15.5 7l-2 10" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
        </svg>
      );
    case 'fence-pending':
      // Channels moved away (arrow out of a box): the host is to be fenced when it returns.
      return (
        <svg {...common}>
          <rect x="3" y="5" width="11" height="14" rx="1.5" fill="none" stroke="currentColor" strokeWidth="2.4" />
          <path d="M10 12h11M17 8l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2.6" strokeDasharray="4 3" />
        </svg>
      );
  }
}

export function StateBadge({ host, big = false }: { host: HostView; big?: boolean }) {
  const state = displayState(host);
  return (
    <span className={`badge state-${state}${big ? ' badge-big' : ''}`} data-state={state}>
      <StateIcon state={state} size={big ? 40 : 15} />
      <span>{STATE_LABEL[state]}</span>
    </span>
  );
}
