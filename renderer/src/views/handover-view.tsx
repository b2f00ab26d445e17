/**
 * The shift report: choose a window, preview it exactly as it exports, download Markdown or PDF, and — as the
 * incoming operator — sign it off. A signed window is frozen: exporting it again prints what was signed.
 */
import { useEffect, useState } from 'react';
import type { QueryOutput } from '../../../main/core/api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { downloadExport } from '../components/download';
import { fromLocalInput, localTimeText, toLocalInput } from '../components/duration';
import { ReportLayoutView } from '../components/report-layout';
import type { ConsoleStore, Snapshot } from '../state/console-store';

type ShiftReport = QueryOutput<'handover.build'>;
interface Window {
  fromMs: number;
  toMs: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;

/** The last `hours` up to the end of the current minute: windows on whole minutes, so a signed one can be found again. */
function lastHours(hours: number): Window {
  const toMs = Math.ceil((Date.now() + 1) / MINUTE_MS) * MINUTE_MS;
  return { fromMs: toMs - hours * HOUR_MS, toMs };
}

function today(): Window {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  return { fromMs: start.getTime(), toMs: lastHours(0).toMs };
}

const PRESETS: [string, () => Window][] = [
  ['Last 8 h', () => lastHours(8)],
  ['Last 12 h', () => lastHours(12)],
  ['Last 24 h', () => lastHours(24)],
  ['Today', today],
];

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function HandoverView({ store, snap }: { store: ConsoleStore; snap: Snapshot }) {
  const operator = snap.session?.access === 'operator';
  const [win, setWin] = useState<Window>(() => lastHours(12));
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [confirm, setConfirm] = useState(false);

  async function run<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
    setBusy(what);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError((err as Error).message);
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  const preview = () => run('preview', async () => setReport(await store.transport.query('handover.build', { ...win, timeZone })));
  useEffect(() => {
    void preview();
  }, [win.fromMs, win.toMs]);

  const exportAs = (format: 'markdown' | 'pdf') => run(format, async () => downloadExport(await store.transport.query('handover.export', { ...win, timeZone, format })));
  const setEdge = (edge: 'fromMs' | 'toMs', value: string) => {
    const ms = fromLocalInput(value);
    if (ms !== null) setWin({ ...win, [edge]: ms });
  };
  const signOff = report?.report.signOff ?? null;

  return (
    <main className="handover-main">
      <section className="handover-controls" aria-label="report window">
        <div className="filters">
          {PRESETS.map(([label, make]) => (
            <button key={label} onClick={() => setWin(make())}>
              {label}
            </button>
          ))}
          <label>
            From <input type="datetime-local" value={toLocalInput(win.fromMs)} onChange={(e) => setEdge('fromMs', e.target.value)} aria-label="report from" />
          </label>
          <label>
            To <input type="datetime-local" value={toLocalInput(win.toMs)} onChange={(e) => setEdge('toMs', e.target.value)} aria-label="report to" />
          </label>
          <button onClick={() => void preview()} disabled={busy !== null}>
            Refresh preview
          </button>
        </div>
        <div className="filters">
          <button onClick={() => void exportAs('markdown')} disabled={busy !== null}>
            Download Markdown
          </button>
          <button onClick={() => void exportAs('pdf')} disabled={busy !== null}>
            Download PDF
          </button>
          <span className="muted">
            {busy ? `${busy === 'preview' ? 'Building the report' : `Exporting ${busy}`}…` : `Times in ${timeZone}.`}
          </span>
        </div>
        {error && (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        )}
        <div className={signOff ? 'signoff signed' : 'signoff'} aria-label="sign-off">
          {signOff ? (
            <p>
              Signed off by <strong>{signOff.operator}</strong> at {localTimeText(signOff.atMs)}
              {signOff.comment ? ` — “${signOff.comment}”` : ''}. This window's report is frozen as signed.
            </p>
          ) : operator ? (
            <>
              <span>
                Incoming operator: read the report, then sign it off (as <strong>{snap.session?.operator ?? ''}</strong>).
              </span>
              <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Comment (optional)" aria-label="sign-off comment" maxLength={4000} />
              <button className="primary" disabled={!report || busy !== null} onClick={() => setConfirm(true)}>
                Sign off…
              </button>
            </>
          ) : (
            <span className="muted">Not signed off yet. The incoming operator signs it off from an operator desk.</span>
          )}
        </div>
      </section>
      {report ? <ReportLayoutView layout={report.layout} /> : <p className="empty">{busy ? 'Building the report…' : 'No report yet.'}</p>}
      {confirm && (
        <ConfirmDialog
          title="Sign off this shift report?"
          confirmLabel={`Sign off as ${snap.session?.operator ?? 'operator'}`}
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            void run('sign-off', async () => {
              setReport(await store.transport.command('handover.signOff', { ...win, timeZone, comment }));
              setComment('');
            });
          }}
        >
          <p>
            You sign off the report for {localTimeText(win.fromMs)} → {localTimeText(win.toMs)} as <strong>{snap.session?.operator}</strong>. Your name, the time and the report's
            fingerprint go into the journal, and this window's report is frozen as you saw it. A sign-off cannot be changed or replaced.
          </p>
        </ConfirmDialog>
      )}
    </main>
  );
}
