/**
 * Edits one channel's config: a form for the fields operators change most, the JSON text for everything else, and
 * every schema error shown next to the field it is about — checked with the agent's own schema as the operator
 * types. Save pushes the text with the hash it was loaded from, so a change made on the host meanwhile is not
 * overwritten (the console answers "changed on the host" instead).
 */
import { useMemo, useState } from 'react';
import { channelNameProblem, type ConfigIssue } from '../../../main/core/api';
import { checkText, fieldText, formatConfig, FORM_FIELDS, type FormField, parseText, withField } from './channel-form-model';

export interface ChannelEditorProps {
  hostName: string;
  /** The channel's name; null for a new channel (the operator names it). */
  channel: string | null;
  initialText: string;
  /** What the text was loaded from, shown to the operator. */
  baseLabel: string;
  onSave(channel: string, text: string): Promise<void>;
  onCancel(): void;
}

export function ChannelEditor(props: ChannelEditorProps) {
  const [text, setText] = useState(props.initialText);
  const [newName, setNewName] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const isNew = props.channel === null;
  const channel = props.channel ?? newName.trim();
  const nameProblem = isNew ? channelNameProblem(channel) : null;
  const parsed = useMemo(() => parseText(text), [text]);
  const checked = useMemo(() => checkText(text, channel || '(unnamed)'), [text, channel]);
  const dirty = text !== props.initialText;
  const problems = [...checked.byField.values()].flat().length + checked.other.length + (nameProblem ? 1 : 0);

  function setName(name: string) {
    setNewName(name);
    if (parsed.ok) setText(formatConfig({ ...parsed.value, name: name.trim() }));
  }

  function setField(field: FormField, raw: string) {
    if (!parsed.ok) return;
    setText(formatConfig(withField(parsed.value, field, raw)));
  }

  async function save() {
    setSaving(true);
    setSaveError(null);
    try {
      await props.onSave(channel, text);
    } catch (err) {
      setSaveError((err as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="channel-editor" aria-label={`edit ${props.hostName}/${channel || 'new channel'}`}>
      <div className="section-head">
        <h2>
          {isNew ? `New channel on ${props.hostName}` : `Edit ${props.hostName}/${channel}`}
        </h2>
        <span className="muted">{props.baseLabel}</span>
      </div>
      <form
        className="editor-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (checked.ok && !nameProblem && (dirty || isNew)) void save();
        }}
      >
        <div className="editor-fields">
          {isNew && (
            <label className={`field${nameProblem && newName ? ' invalid' : ''}`} data-field="name">
              <span>Channel name (the file on the host is NAME.json)</span>
              <input value={newName} onChange={(e) => setName(e.target.value)} aria-label="channel name" autoFocus aria-invalid={!!nameProblem && !!newName} />
              {nameProblem && newName && <em className="field-error">{nameProblem}</em>}
            </label>
          )}
          {FORM_FIELDS.map((field) => (
            <Field key={field.path} field={field} value={parsed.ok ? fieldText(parsed.value, field.path) : ''} disabled={!parsed.ok} issues={checked.byField.get(field.path) ?? []} onChange={(raw) => setField(field, raw)} />
          ))}
        </div>
        <label className={`field editor-json${checked.other.length ? ' invalid' : ''}`} data-field="(json)">
          <span>Config file (JSON) — outputs and everything else; the form above edits this text</span>
          <textarea value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={Math.min(30, text.split('\n').length + 1)} aria-label="config JSON" aria-invalid={checked.other.length > 0} />
          {checked.other.length > 0 && <IssueList issues={checked.other} />}
        </label>
        {!parsed.ok && <p className="form-error">The form fields wait until the text is JSON again.</p>}
        {saveError && (
          <p className="form-error" role="alert">
            Not saved: {saveError}
          </p>
        )}
        <div className="form-actions">
          <span className={problems ? 'editor-status invalid' : 'editor-status'} role="status">
            {problems ? `✖ ${problems} problem${problems === 1 ? '' : 's'} — fix ${problems === 1 ? 'it' : 'them'} to save` : dirty || isNew ? '✔ valid' : 'no changes yet'}
          </span>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving || !checked.ok || !!nameProblem || (!dirty && !isNew)}>
            {saving ? 'Saving…' : isNew ? `Create on ${props.hostName}` : `Save to ${props.hostName}`}
          </button>
        </div>
      </form>
    </section>
  );
}

function Field({ field, value, disabled, issues, onChange }: { field: FormField; value: string; disabled: boolean; issues: ConfigIssue[]; onChange(raw: string): void }) {
  const invalid = issues.length > 0;
  const id = `field-${field.path.replace(/\./g, '-')}`;
  return (
    <label className={`field${invalid ? ' invalid' : ''}`} data-field={field.path}>
      <span>{field.label}</span>
      {field.kind === 'select' ? (
        <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid}>
          {!field.options!.includes(value) && <option value={value}>{value || `(default: ${field.defaultValue ?? 'none'})`}</option>}
          {field.options!.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} value={value} disabled={disabled} inputMode={field.kind === 'number' ? 'decimal' : undefined} placeholder={field.hint} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} />
      )}
      {invalid && <IssueList issues={issues} atField={field.path} />}
    </label>
  );
}

/** At a field its own path goes without saying; under the text, each issue says where it is. */
function IssueList({ issues, atField }: { issues: ConfigIssue[]; atField?: string }) {
  return (
    <>
      {issues.map((issue, i) => (
        <em key={i} className="field-error" data-issue-path={issue.path}>
          {issue.path === '(root)' || issue.path === atField ? issue.message : `${issue.path}: ${issue.message}`}
        </em>
      ))}
    </>
  );
}
