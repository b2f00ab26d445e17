import type { Finding } from '../state/network-slice';
import { SeverityBadge } from './severity-badge';

/** Findings (rule violations, root causes, single points of failure) with what to do about each. */
export function FindingsList({ findings, empty, label }: { findings: readonly Pick<Finding, 'key' | 'severity' | 'summary' | 'fix'>[]; empty: string; label: string }) {
  if (findings.length === 0) return <p className="empty findings-empty">{empty}</p>;
  return (
    <ul className="findings" aria-label={label}>
      {findings.map((f) => (
        <li key={f.key} className={`finding sev-${f.severity}`} data-finding={f.key}>
          <SeverityBadge severity={f.severity} />
          <div className="finding-text">
            <div className="finding-summary">{f.summary}</div>
            {f.fix && <div className="finding-fix">Fix: {f.fix}</div>}
          </div>
        </li>
      ))}
    </ul>
  );
}
