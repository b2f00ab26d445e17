/** Small pieces the Archives tab and its wall page share: the identity badge, byte and rate text, the job bar. */
import type { ResyncJobView } from '../state/archive-slice';

type IdentityState = 'identical' | 'diverged' | 'conflict' | 'unknown';

const IDENTITY: Record<IdentityState, { icon: string; word: string; tone: string }> = {
  identical: { icon: '✔', word: 'identical', tone: 'ok' },
  diverged: { icon: '≠', word: 'diverged', tone: 'attention' },
  conflict: { icon: '✖', word: 'conflict', tone: 'down' },
  unknown: { icon: '?', word: 'unknown', tone: 'unknown' },
};

/** Colour, icon and word: never colour alone. */
export function IdentityBadge({ state, fingerprint, big }: { state: IdentityState; fingerprint: string; big?: boolean }) {
  const s = IDENTITY[state];
  return (
    <span className={`identity-badge tone-${s.tone}${big ? ' big' : ''}`} data-identity={state} title={`set fingerprint ${fingerprint}`}>
      <span aria-hidden="true">{s.icon}</span> {s.word} <code>{fingerprint}</code>
    </span>
  );
}

export function bytesText(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function timeOfDay(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function JobBar({ job }: { job: ResyncJobView }) {
  const pct = job.bytesTotal > 0 ? Math.min(100, (job.bytesDone / job.bytesTotal) * 100) : job.state === 'done' ? 100 : 0;
  return (
    <div className={`job job-${job.state}`} data-job={job.jobId} data-job-state={job.state}>
      <div className="job-head">
        {job.hostName} ← {job.peer} · {job.state} · {job.segmentsDone}/{job.segmentsTotal} segments
      </div>
      <progress max={100} value={pct} aria-label={`resync progress ${pct.toFixed(0)} %`} />
      <div className="muted">
        {bytesText(job.bytesDone)} of {bytesText(job.bytesTotal)} · {bytesText(job.throughputBytesPerSec)}/s
        {job.state === 'running' && job.etaSec !== null ? ` · ETA ${Math.ceil(job.etaSec)} s` : ''}
        {job.conflictCount > 0 ? ` · ${job.conflictCount} conflicts left untouched` : ''}
        {job.error ? ` · ${job.error}` : ''}
      </div>
    </div>
  );
}
