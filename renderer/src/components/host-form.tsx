import { type FormEvent, type ReactNode, useState } from 'react';
import { HostKind, HostRole, HostSpec, type HostView } from '../../../main/core/api';

type Fields = { name: string; address: string; token: string; kind: string; role: string; group: string };

/** Add or edit a host; the contract's own schema checks each field before anything is sent. */
export function HostForm(props: { host?: HostView; onSubmit(spec: Partial<HostSpec>): Promise<void>; onCancel(): void }) {
  const editing = Boolean(props.host);
  const [fields, setFields] = useState<Fields>({
    name: props.host?.name ?? '',
    address: props.host?.address ?? '',
    token: '',
    kind: props.host?.kind ?? 'transcoder',
    role: props.host?.role ?? 'main',
    group: props.host?.group ?? '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const set = (name: keyof Fields) => (e: { target: { value: string } }) => setFields({ ...fields, [name]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    // When editing, an empty token means "keep the current one".
    const candidate = editing && !fields.token ? { ...fields, token: 'x'.repeat(16) } : fields;
    const parsed = HostSpec.safeParse(candidate);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
      setErrors(next);
      return;
    }
    const spec: Partial<HostSpec> = { ...parsed.data };
    if (editing && !fields.token) delete spec.token;
    setBusy(true);
    try {
      await props.onSubmit(spec);
    } catch (err) {
      setErrors({ form: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof Fields, label: string, input: ReactNode) => (
    <label className={errors[name] ? 'field invalid' : 'field'}>
      <span>{label}</span>
      {input}
      {errors[name] && <em className="field-error">{errors[name]}</em>}
    </label>
  );

  return (
    <form className="host-form" onSubmit={submit} aria-label={editing ? 'Edit host' : 'Add host'}>
      {field('name', 'Name', <input value={fields.name} onChange={set('name')} autoFocus />)}
      {field('address', 'Agent address (host:port)', <input value={fields.address} onChange={set('address')} placeholder="10.0.0.5:7411" />)}
      {field('token', editing ? 'Agent token (blank keeps the current one)' : 'Agent token', <input type="password" value={fields.token} onChange={set('token')} autoComplete="off" />)}
      {field(
        'kind',
        'Kind',
        <select value={fields.kind} onChange={set('kind')}>
          {HostKind.options.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>,
      )}
      {field(
        'role',
        'Role',
        <select value={fields.role} onChange={set('role')}>
          {HostRole.options.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>,
      )}
      {field('group', 'Group', <input value={fields.group} onChange={set('group')} />)}
      {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
      <div className="form-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {editing ? 'Save' : 'Add host'}
        </button>
      </div>
    </form>
  );
}
