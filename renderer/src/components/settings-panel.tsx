import { useState } from 'react';
import { HealthSettings, type Settings } from '../../../main/core/api';

type HealthField = keyof HealthSettings;
const FIELDS: { key: HealthField; label: string; help: string }[] = [
  { key: 'heartbeatMs', label: 'Heartbeat (ms)', help: 'how often every agent reports' },
  { key: 'suspectAfterMs', label: 'Suspect after (ms)', help: 'silence before a host is marked attention' },
  { key: 'tAddMs', label: 't_add: probe spacing (ms)', help: 'time between confirmation rounds' },
  { key: 'confirmChecks', label: 'n: confirmation rounds', help: 'rounds nobody answers before down' },
  { key: 'checkTimeoutMs', label: 'Probe timeout (ms)', help: 'how long one probe may take' },
  { key: 'tMainMs', label: 't_main: API check (ms)', help: 'API check of healthy hosts' },
];

/** What the timers imply, in the operator's terms (DESIGN §6 and seed 001's time budget). */
export function impliedTimes(h: HealthSettings): { detectMaxS: number; safePauseS: number } {
  const windowMs = h.suspectAfterMs + h.confirmChecks * h.tAddMs;
  return { detectMaxS: (windowMs + 100) / 1000, safePauseS: (windowMs - h.heartbeatMs) / 1000 };
}

export function SettingsPanel(props: { settings: Settings; canEdit: boolean; onSave(next: Partial<Settings>): Promise<void>; onClose(): void }) {
  const [health, setHealth] = useState<Record<HealthField, string>>(
    Object.fromEntries(FIELDS.map((f) => [f.key, String(props.settings.health[f.key])])) as Record<HealthField, string>,
  );
  const [rotateSec, setRotateSec] = useState(String(props.settings.wall.rotateSec));
  const [displayId, setDisplayId] = useState(props.settings.wall.displayId === null ? '' : String(props.settings.wall.displayId));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  const parsed = HealthSettings.safeParse(Object.fromEntries(FIELDS.map((f) => [f.key, Number(health[f.key])])));
  const implied = parsed.success ? impliedTimes(parsed.data) : null;

  async function save() {
    setSaved(false);
    const next: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
    const rotate = Number(rotateSec);
    if (!Number.isInteger(rotate) || rotate < 5 || rotate > 600) next.rotateSec = 'a whole number of seconds, 5–600';
    const display = displayId.trim() === '' ? null : Number(displayId);
    if (display !== null && !Number.isInteger(display)) next.displayId = 'a display id (a whole number) or empty for the second screen';
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    try {
      await props.onSave({ health: parsed.data, wall: { rotateSec: rotate, displayId: display } });
      setSaved(true);
    } catch (err) {
      setErrors({ form: (err as Error).message });
    }
  }

  return (
    <div className="modal-backdrop" role="presentation">
      <div className="modal settings" role="dialog" aria-modal="true" aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <h3>Failure detection</h3>
        <div className="settings-grid">
          {FIELDS.map((f) => (
            <label key={f.key} className={errors[f.key] ? 'field invalid' : 'field'}>
              <span>{f.label}</span>
              <input inputMode="numeric" value={health[f.key]} disabled={!props.canEdit} onChange={(e) => setHealth({ ...health, [f.key]: e.target.value })} aria-describedby={`help-${f.key}`} />
              <small id={`help-${f.key}`} className="muted">
                {f.help}
              </small>
              {errors[f.key] && <em className="field-error">{errors[f.key]}</em>}
            </label>
          ))}
        </div>
        <p className="implied" aria-live="polite">
          {implied
            ? `A silent host is declared down at most ${implied.detectMaxS.toFixed(1)} s after its last heartbeat; a pause shorter than ${implied.safePauseS.toFixed(1)} s can never fail a host over.`
            : 'These timers do not fit together yet.'}
        </p>
        <h3>Wall display</h3>
        <div className="settings-grid">
          <label className={errors.rotateSec ? 'field invalid' : 'field'}>
            <span>Page rotation (s)</span>
            <input inputMode="numeric" value={rotateSec} disabled={!props.canEdit} onChange={(e) => setRotateSec(e.target.value)} />
            {errors.rotateSec && <em className="field-error">{errors.rotateSec}</em>}
          </label>
          <label className={errors.displayId ? 'field invalid' : 'field'}>
            <span>Wall display id (desktop app)</span>
            <input inputMode="numeric" value={displayId} placeholder="second screen" disabled={!props.canEdit} onChange={(e) => setDisplayId(e.target.value)} />
            {errors.displayId && <em className="field-error">{errors.displayId}</em>}
          </label>
        </div>
        {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
        {saved && <p className="saved" role="status">Saved. Agents pick up a new heartbeat at once.</p>}
        <div className="modal-actions">
          <button onClick={props.onClose}>Close</button>
          {props.canEdit && (
            <button className="primary" onClick={() => void save()}>
              Save
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
