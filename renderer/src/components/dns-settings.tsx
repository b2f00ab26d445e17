import { useEffect, useId, useState } from 'react';
import type { QueryOutput } from '../../../main/core/api';
import type { UiTransport } from '../transport/ui-transport';
import { ConfirmDialog } from './confirm-dialog';
import { type DnsForm, type FieldErrors, formOf, settingsOf } from './dns-form-model';

type DnsView = QueryOutput<'failover.dns.get'>;

const FIELDS: { key: keyof DnsForm; label: string; type?: string; wide?: boolean }[] = [
  { key: 'server', label: 'DNS server' },
  { key: 'port', label: 'Port' },
  { key: 'zone', label: 'Zone' },
  { key: 'ttlSec', label: 'Record TTL (s)' },
  { key: 'keyName', label: 'TSIG key name' },
  { key: 'secretBase64', label: 'TSIG secret (base64)', type: 'password' },
];

/**
 * DNS re-pointing after a failover (RFC 2136 updates signed with TSIG): which channel names move with their channels.
 * Operators edit it; viewers see whether it is on.
 */
export function DnsSettingsPanel({ transport, operator }: { transport: UiTransport; operator: boolean }) {
  const [view, setView] = useState<DnsView | undefined>(undefined);
  const [form, setForm] = useState<DnsForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const id = useId();

  const load = () =>
    transport.query('failover.dns.get', {}).then(
      (v) => setView(v),
      (err: Error) => setProblem(`could not read the DNS settings: ${err.message}`),
    );
  useEffect(() => {
    let live = true;
    transport.query('failover.dns.get', {}).then(
      (v) => live && setView(v),
      (err: Error) => live && setProblem(`could not read the DNS settings: ${err.message}`),
    );
    return () => {
      live = false;
    };
  }, [transport]);

  const save = () => {
    if (!form) return;
    const parsed = settingsOf(form);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    setProblem(null);
    transport.command('failover.dns.set', parsed.settings).then(
      () => {
        setForm(null);
        void load();
      },
      (err: Error) => setProblem(err.message),
    );
  };

  return (
    <section className="dns-settings" aria-label="DNS re-pointing">
      <h3>DNS re-pointing</h3>
      {view === undefined ? (
        <p className="muted">{problem ?? 'Loading…'}</p>
      ) : view === null ? (
        <p className="muted" data-dns="off">
          Off: after a failover, players keep resolving channel names to the old host. Turn it on to re-point each channel’s name to the reserve (RFC 2136 update, TSIG-signed).
        </p>
      ) : (
        <p data-dns="on">
          On: zone <strong>{view.zone}</strong> via {view.server.host}:{view.server.port}, key {view.keyName}, TTL {view.ttlSec} s — {Object.keys(view.records).length} channel name
          {Object.keys(view.records).length === 1 ? '' : 's'} ({Object.entries(view.records).map(([c, n]) => `${c} → ${n}`).join(', ')}).
        </p>
      )}
      {operator && !form && view !== undefined && (
        <div className="detail-actions">
          <button onClick={() => setForm(formOf(view))}>{view ? 'Change…' : 'Set up DNS re-pointing…'}</button>
          {view && <button onClick={() => setConfirmOff(true)}>Turn off…</button>}
        </div>
      )}
      {problem && !form && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {form && (
        <form
          className="dns-form"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          {FIELDS.map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`${id}-${f.key}`}>{f.label}</label>
              <input
                id={`${id}-${f.key}`}
                type={f.type ?? 'text'}
                value={form[f.key]}
                onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
                aria-invalid={Boolean(errors[f.key])}
                aria-describedby={errors[f.key] ? `${id}-${f.key}-error` : undefined}
                autoComplete="off"
              />
              {errors[f.key] && (
                <span className="field-error" id={`${id}-${f.key}-error`}>
                  {errors[f.key]}
                </span>
              )}
            </div>
          ))}
          <div className="field wide">
            <label htmlFor={`${id}-records`}>Channel names (one channel = name.in.zone. per line)</label>
            <textarea
              id={`${id}-records`}
              rows={4}
              value={form.records}
              onChange={(e) => setForm({ ...form, records: e.target.value })}
              aria-invalid={Boolean(errors.records)}
              aria-describedby={errors.records ? `${id}-records-error` : undefined}
            />
            {errors.records && (
              <span className="field-error" id={`${id}-records-error`}>
                {errors.records}
              </span>
            )}
          </div>
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <div className="detail-actions">
            <button type="button" onClick={() => (setForm(null), setErrors({}), setProblem(null))}>
              Cancel
            </button>
            <button type="submit" className="primary">
              Save
            </button>
          </div>
        </form>
      )}
      {confirmOff && view && (
        <ConfirmDialog
          title="Turn DNS re-pointing off?"
          confirmLabel="Turn off"
          danger
          onCancel={() => setConfirmOff(false)}
          onConfirm={() => {
            setConfirmOff(false);
            transport.command('failover.dns.set', null).then(
              () => void load(),
              (err: Error) => setProblem(err.message),
            );
          }}
        >
          <p>
            Tally will forget the DNS settings for zone <strong>{view.zone}</strong> (the TSIG key included). Failovers after this leave {Object.keys(view.records).join(', ')} resolving to
            whatever host they point at now.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
