/**
 * Add or edit a switch. The contract's own schemas check each field before anything is sent; the SNMP community is
 * write-only (the console never sends it back), so when editing a blank community keeps the current one.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { commands } from '../../../main/core/api';
import type { SwitchInfo } from '../state/network-slice';

type Fields = { name: string; address: string; snmpPort: string; community: string; pollMs: string; timeoutMs: string; retries: string; icmp: boolean };

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

export function SwitchForm(props: { sw?: SwitchInfo; onSubmit(input: Record<string, unknown>): Promise<void>; onCancel(): void }) {
  const editing = Boolean(props.sw);
  const [fields, setFields] = useState<Fields>({
    name: props.sw?.name ?? '',
    address: props.sw?.address ?? '',
    snmpPort: String(props.sw?.snmpPort ?? 161),
    community: '',
    pollMs: String(props.sw?.pollMs ?? 5000),
    timeoutMs: String(props.sw?.timeoutMs ?? 2000),
    retries: String(props.sw?.retries ?? 1),
    icmp: props.sw?.icmp ?? true,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (name: keyof Fields) => (e: { target: { value: string } }) => setFields({ ...fields, [name]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const all: Record<string, unknown> = {
      name: fields.name,
      address: fields.address,
      snmpPort: num(fields.snmpPort),
      pollMs: num(fields.pollMs),
      timeoutMs: num(fields.timeoutMs),
      retries: num(fields.retries),
      icmp: fields.icmp,
      ...(editing && fields.community === '' ? {} : { community: fields.community }),
    };
    // An edit sends only what changed, so the journal names exactly that.
    const before = props.sw as Record<string, unknown> | undefined;
    const values = before ? Object.fromEntries(Object.entries(all).filter(([k, v]) => k === 'community' || before[k] !== v)) : all;
    const parsed = editing
      ? commands['switch.update'].input.safeParse({ id: props.sw!.id, patch: values })
      : commands['switch.add'].input.safeParse(values);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[editing ? 1 : 0] ?? 'form')] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await props.onSubmit(values);
    } catch (err) {
      setErrors({ form: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof Fields, label: string, input: ReactNode, help?: string) => (
    <label className={errors[name] ? 'field invalid' : 'field'}>
      <span>{label}</span>
      {input}
      {help && <small className="muted">{help}</small>}
      {errors[name] && <em className="field-error">{errors[name]}</em>}
    </label>
  );

  return (
    <form className="host-form switch-form" onSubmit={(e) => void submit(e)} aria-label={editing ? 'Edit switch' : 'Add switch'}>
      {field('name', 'Name', <input value={fields.name} onChange={set('name')} autoFocus />)}
      {field('address', 'Management address', <input value={fields.address} onChange={set('address')} placeholder="10.0.0.2" />, 'polled over SNMP v2c and pinged')}
      {field('snmpPort', 'SNMP port', <input inputMode="numeric" value={fields.snmpPort} onChange={set('snmpPort')} />)}
      {field(
        'community',
        editing ? 'Read community (blank keeps the current one)' : 'Read community',
        <input type="password" value={fields.community} onChange={set('community')} autoComplete="off" />,
        'kept by the console, never shown to anyone again',
      )}
      <div className="form-row">
        {field('pollMs', 'Poll every (ms)', <input inputMode="numeric" value={fields.pollMs} onChange={set('pollMs')} />)}
        {field('timeoutMs', 'Timeout (ms)', <input inputMode="numeric" value={fields.timeoutMs} onChange={set('timeoutMs')} />)}
        {field('retries', 'Retries', <input inputMode="numeric" value={fields.retries} onChange={set('retries')} />)}
      </div>
      <label className="check">
        <input type="checkbox" checked={fields.icmp} onChange={(e) => setFields({ ...fields, icmp: e.target.checked })} />
        Ping it too (tells a dead switch from a wrong community)
      </label>
      {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
      <div className="form-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {editing ? 'Save' : 'Add switch'}
        </button>
      </div>
    </form>
  );
}
