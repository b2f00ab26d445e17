/**
 * Failovers as an operator reviews them: every operation with its timeline (each step and its offset from the start),
 * what is still fenced, and moving channels back once the failed host is ready.
 */
import { useEffect, useState } from 'react';
import type { FailoverOperation } from '../../../main/core/api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DnsSettingsPanel } from '../components/dns-settings';
import type { ConsoleStore, Snapshot } from '../state/console-store';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function useFailoverOperations(store: ConsoleStore): FailoverOperation[] {
  const [ops, setOps] = useState<FailoverOperation[]>([]);
  useEffect(() => {
    let alive = true;
    const load = () =>
      store.transport.query('failover.operations', { limit: 50 }).then(
        (list) => alive && setOps(list),
        (err: Error) => console.error('tally: could not load failovers', err),
      );
    void load();
    const off = store.transport.subscribe((event) => {
      if (event.type !== 'failover.changed') return;
      const op = event.payload.operation;
      setOps((list) => [op, ...list.filter((o) => o.id !== op.id)].slice(0, 50));
    });
    return () => {
      alive = false;
      off();
    };
  }, [store]);
  return ops;
}

export function FailoverView({ store, snap }: { store: ConsoleStore; snap: Snapshot }) {
  const ops = useFailoverOperations(store);
  const [selected, setSelected] = useState<string | null>(null);
  const [confirmBack, setConfirmBack] = useState<FailoverOperation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const operator = snap.session?.access === 'operator';
  const op = ops.find((o) => o.id === selected) ?? ops[0] ?? null;

  return (
    <section className="failover-view" aria-label="failovers">
      <div className="section-head">
        <h2>Failovers ({ops.length})</h2>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {ops.length === 0 ? (
        <p className="empty">No failover yet. When a main transcoder is confirmed down, its channels move to a reserve and the timeline shows here.</p>
      ) : (
        <div className="failover-grid">
          <ol className="failover-list">
            {ops.map((o) => (
              <li key={o.id}>
                <button className={o.id === op?.id ? 'op active' : 'op'} onClick={() => setSelected(o.id)} data-op={o.id}>
                  <span className={`op-state op-${o.state}`}>{o.state.toUpperCase()}</span> {o.fromHostName} → {o.toHostName}
                  <span className="muted">
                    {' '}
                    · {o.kind} · {new Date(o.startedAt).toLocaleString()}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          {op && (
            <div className="failover-detail" aria-label="failover timeline">
              <h3>
                {op.kind === 'move-back' ? 'Move back' : 'Failover'} {op.fromHostName} → {op.toHostName} <span className={`op-state op-${op.state}`}>{op.state.toUpperCase()}</span>
              </h3>
              <p className="muted">
                {op.operator ? `by ${op.operator}` : 'automatic'} · {op.channels.length} channels · detected at {new Date(op.triggeredAt).toLocaleTimeString()}
                {op.finishedAt ? ` · finished in ${seconds(op.finishedAt - op.startedAt)}` : ''}
                {op.fencedAt ? ` · ${op.fromHostName} fenced, double broadcast ${seconds(op.doubleBroadcastMs ?? 0)}` : ` · ${op.fromHostName} not fenced yet`}
              </p>
              <table className="timeline">
                <thead>
                  <tr>
                    <th>+time</th>
                    <th>Channel</th>
                    <th>Step</th>
                  </tr>
                </thead>
                <tbody>
                  {op.steps.map((s, i) => (
                    <tr key={i} className={s.ok ? '' : 'step-failed'}>
                      <td className="num">{seconds(s.offsetMs)}</td>
                      <td>{s.channel ?? '—'}</td>
                      <td>
                        {s.ok ? '' : '✖ '}
                        {s.what}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {operator && op.state !== 'running' && op.kind !== 'move-back' && op.fencedAt && (
                <div className="detail-actions">
                  <button onClick={() => setConfirmBack(op)}>Move channels back to {op.fromHostName}…</button>
                </div>
              )}
            </div>
          )}
        </div>
      )}
      <DnsSettingsPanel transport={store.transport} operator={operator} />
      {confirmBack && (
        <ConfirmDialog
          title={`Move ${confirmBack.channels.length} channels back to ${confirmBack.fromHostName}?`}
          confirmLabel={`Move back to ${confirmBack.fromHostName}`}
          onCancel={() => setConfirmBack(null)}
          onConfirm={() => {
            const id = confirmBack.id;
            setConfirmBack(null);
            setError(null);
            store.transport.command('failover.moveBack', { operationId: id }).then(
              (next) => setSelected(next.id),
              (err: Error) => setError(err.message),
            );
          }}
        >
          <p>
            Tally will make <strong>{confirmBack.fromHostName}</strong> main again, start {confirmBack.channels.map((c) => c.name).join(', ')} on it from their latest
            valid snapshots with a new epoch, verify each produces output, then stop and remove them on <strong>{confirmBack.toHostName}</strong> and make it a
            reserve again.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
