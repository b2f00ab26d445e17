/** The host detail's failover and role actions: each previews exactly what will happen and asks to confirm. */
import { useState } from 'react';
import type { FailoverPreview, HostView } from '../../../main/core/api';
import type { UiTransport } from '../transport/ui-transport';
import { ConfirmDialog } from './confirm-dialog';

export function FailoverActions({ host, transport }: { host: HostView; transport: UiTransport }) {
  const [preview, setPreview] = useState<FailoverPreview | null>(null);
  const [role, setRole] = useState<HostView['role'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function askPreview() {
    setError(null);
    try {
      setPreview(await transport.query('failover.preview', { hostId: host.id }));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const roles = (['main', 'reserve', 'maintenance'] as const).filter((r) => r !== host.role);
  return (
    <div className="failover-actions">
      {host.kind === 'transcoder' && host.role === 'main' && (
        <button onClick={() => void askPreview()} data-action="failover">
          Fail over now…
        </button>
      )}
      {roles.map((r) => (
        <button key={r} onClick={() => (setError(null), setRole(r))} data-action={`role-${r}`}>
          Make {r}…
        </button>
      ))}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <ConfirmDialog
          title={preview.possible ? `Fail ${host.name} over to ${preview.toHostName}?` : `${host.name} cannot be failed over`}
          confirmLabel={preview.possible ? `Fail over to ${preview.toHostName}` : 'Close'}
          danger={preview.possible}
          onCancel={() => setPreview(null)}
          onConfirm={() => {
            const possible = preview.possible;
            setPreview(null);
            if (possible) transport.command('failover.run', { hostId: host.id }).catch((err: Error) => setError(err.message));
          }}
        >
          <p className="preview-summary">{preview.summary}</p>
          {preview.possible && (
            <ul className="preview-channels">
              {preview.channels.map((c) => (
                <li key={c.name}>
                  {c.name}: snapshot {c.hash.slice(0, 12)}, epoch {c.fromEpoch} → {c.toEpoch}
                </li>
              ))}
            </ul>
          )}
        </ConfirmDialog>
      )}
      {role && (
        <ConfirmDialog
          title={`Make ${host.name} ${role}?`}
          confirmLabel={`Make ${role}`}
          onCancel={() => setRole(null)}
          onConfirm={() => {
            const next = role;
            setRole(null);
            transport.command('host.setRole', { hostId: host.id, role: next }).catch((err: Error) => setError(err.message));
          }}
        >
          <p>
            {role === 'reserve'
              ? `${host.name} will wait empty for a failed main host's channels; it must run no channels now.`
              : role === 'maintenance'
                ? `${host.name} will be left out of failover planning and its alerts muted until you make it main or reserve again. Nothing running on it is stopped.`
                : `${host.name} will be watched as a main host: if it is confirmed down, its channels move to a reserve.`}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
