/** The operator's alert dialogs: acknowledge with a comment, and silence by a matcher for a while. */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { type CommandInput, commands } from '../../../main/core/api';
import type { Alert } from '../state/alerts-slice';
import { localTimeText } from './duration';
import { SeverityBadge } from './severity-badge';

type SilenceInput = CommandInput<'silence.add'>;

function Dialog(props: { title: string; label: string; children: ReactNode; error: string | null; busy: boolean; submitLabel: string; onSubmit(): void; onCancel(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <div className="modal-backdrop" role="presentation">
      <form className="modal alert-dialog" role="dialog" aria-modal="true" aria-label={props.label} onSubmit={submit}>
        <h2>{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        {props.error && (
          <p className="form-error" role="alert">
            {props.error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={props.busy}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Runs the dialog's action; on failure the dialog stays open with the engine's reason. */
function useSubmit(action: () => Promise<void>): { busy: boolean; error: string | null; run(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    run() {
      setBusy(true);
      setError(null);
      action().then(
        () => setBusy(false),
        (err: Error) => {
          setBusy(false);
          setError(err.message);
        },
      );
    },
  };
}

export function AckDialog({ alert, onAck, onCancel }: { alert: Alert; onAck(comment: string): Promise<void>; onCancel(): void }) {
  const [comment, setComment] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const { busy, error, run } = useSubmit(() => onAck(comment.trim()));
  return (
    <Dialog title="Acknowledge alert" label="Acknowledge alert" submitLabel="Acknowledge" error={error} busy={busy} onSubmit={run} onCancel={onCancel}>
      <p className="alert-dialog-subject">
        <SeverityBadge severity={alert.severity} /> {alert.summary}
      </p>
      <p className="muted">Acknowledging stops its notifications and the wall's alarm for it; it stays open until it clears. Your name and comment go into the journal.</p>
      <label className="field">
        <span>Comment (what you are doing about it)</span>
        <input ref={input} value={comment} maxLength={4000} onChange={(e) => setComment(e.target.value)} placeholder="e.g. PSU failed, engineer called" aria-label="comment" />
      </label>
    </Dialog>
  );
}

const DURATIONS: [string, number][] = [
  ['15 minutes', 15 * 60_000],
  ['1 hour', 3600_000],
  ['4 hours', 4 * 3600_000],
  ['12 hours', 12 * 3600_000],
  ['24 hours', 24 * 3600_000],
  ['7 days', 7 * 24 * 3600_000],
];

type Scope = 'alert' | 'host' | 'kind';

export function SilenceDialog(props: { alert: Alert; hostName: string | null; nowMs: number; onSilence(input: SilenceInput): Promise<void>; onCancel(): void }) {
  const { alert } = props;
  const [scope, setScope] = useState<Scope>('alert');
  const [durationMs, setDurationMs] = useState(3600_000);
  const [comment, setComment] = useState('');
  const matcher: SilenceInput['matcher'] = scope === 'alert' ? { keyPrefix: alert.key } : scope === 'host' && alert.hostId ? { hostId: alert.hostId } : { kind: alert.kind };
  const { busy, error, run } = useSubmit(async () => {
    const input = { matcher, durationMs, comment };
    // The contract's own schema says what is wrong before anything is sent.
    const parsed = commands['silence.add'].input.safeParse(input);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
    await props.onSilence(input);
  });
  const what = scope === 'alert' ? `"${alert.summary}"` : scope === 'host' ? `every alert of ${props.hostName ?? alert.hostId}` : `every "${alert.kind}" alert`;
  return (
    <Dialog title="Silence alerts" label="Silence alerts" submitLabel="Silence" error={error} busy={busy} onSubmit={run} onCancel={props.onCancel}>
      <fieldset className="silence-scope">
        <legend>Silence</legend>
        <label>
          <input type="radio" name="scope" checked={scope === 'alert'} onChange={() => setScope('alert')} /> this alert only
        </label>
        {alert.hostId && (
          <label>
            <input type="radio" name="scope" checked={scope === 'host'} onChange={() => setScope('host')} /> everything on {props.hostName ?? alert.hostId}
          </label>
        )}
        <label>
          <input type="radio" name="scope" checked={scope === 'kind'} onChange={() => setScope('kind')} /> all alerts of kind {alert.kind}
        </label>
      </fieldset>
      <label className="field">
        <span>For</span>
        <select value={durationMs} onChange={(e) => setDurationMs(Number(e.target.value))} aria-label="duration">
          {DURATIONS.map(([label, ms]) => (
            <option key={ms} value={ms}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Why (required)</span>
        <input value={comment} maxLength={4000} onChange={(e) => setComment(e.target.value)} placeholder="e.g. planned PSU swap" aria-label="reason" autoFocus />
      </label>
      <p className="implied">
        Silences {what} until {localTimeText(props.nowMs + durationMs)}: they stay in the list but do not notify or sound. Anyone can remove the silence earlier.
      </p>
    </Dialog>
  );
}
