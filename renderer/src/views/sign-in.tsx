/**
 * The start of a shift: who is at the desk. Every action from this tab is attributed to the name given here, and
 * the sign-in is journalled for the shift report. The same click turns on desktop notifications in a browser.
 */
import { type FormEvent, useState } from 'react';
import { commands } from '../../../main/core/api';
import { askNotificationPermission, notificationPermission } from '../components/desktop-notifications';

export function SignIn(props: { lastOperator: string | null; offerNotifications: boolean; onSignIn(name: string): Promise<void> }) {
  const [name, setName] = useState('');
  const [notify, setNotify] = useState(props.offerNotifications && notificationPermission() === 'default');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = commands['session.signIn'].input.safeParse({ name });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'type your name');
    // Asked inside the submit: browsers only show the permission prompt for a user gesture.
    if (notify) void askNotificationPermission();
    setBusy(true);
    try {
      await props.onSignIn(parsed.data.name);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <div className="modal-backdrop sign-in-backdrop" role="presentation">
      <form className="modal sign-in" role="dialog" aria-modal="true" aria-labelledby="sign-in-title" onSubmit={submit}>
        <h2 id="sign-in-title">Start of shift</h2>
        <p>Who is at this desk? Your name goes with every acknowledgement, note and action in the journal and the shift report.</p>
        <label className={error ? 'field invalid' : 'field'}>
          <span>Your name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={64} aria-label="your name" autoComplete="name" />
          {error && <em className="field-error">{error}</em>}
        </label>
        {props.lastOperator && <p className="muted">Before you: {props.lastOperator}. Their shift report is under “Shift report” for you to sign off.</p>}
        {props.offerNotifications && notificationPermission() === 'default' && (
          <label className="check">
            <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Show desktop notifications for new critical and major alerts
          </label>
        )}
        <div className="modal-actions">
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}
