/**
 * Which switch ports a host is plugged into. Ports are picked from what the switch reports (or typed: a port name or
 * ifIndex). Saving fewer uplinks than before first asks, naming the uplinks that would go.
 */
import { useState } from 'react';
import type { HostView } from '../../../main/core/api';
import type { NetworkOverview, UplinkView } from '../state/network-slice';
import { ConfirmDialog } from './confirm-dialog';
import { portName } from './network-badges';

type Row = { switchId: string; port: string };

const portValue = (port: number | string): string => String(port);
const sameUplink = (a: Row, u: Pick<UplinkView, 'switchId' | 'port'>) => a.switchId === u.switchId && a.port.toLowerCase() === String(u.port).toLowerCase();

export function UplinksForm(props: { hosts: HostView[]; network: NetworkOverview; initialHostId: string | null; onSave(hostId: string, uplinks: { switchId: string; port: number | string }[]): Promise<void>; onCancel(): void }) {
  const { network } = props;
  const uplinksOf = (hostId: string) => network.switches.flatMap((s) => s.uplinks).filter((u) => u.hostId === hostId);
  const [hostId, setHostId] = useState(props.initialHostId ?? props.hosts[0]?.id ?? '');
  const [rows, setRows] = useState<Row[]>(() => uplinksOf(hostId).map((u) => ({ switchId: u.switchId, port: portValue(u.port) })));
  const [confirm, setConfirm] = useState<UplinkView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const host = props.hosts.find((h) => h.id === hostId);
  const current = uplinksOf(hostId);

  const chooseHost = (id: string) => {
    setHostId(id);
    setRows(uplinksOf(id).map((u) => ({ switchId: u.switchId, port: portValue(u.port) })));
    setError(null);
  };
  const setRow = (i: number, patch: Partial<Row>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const toPort = (port: string): number | string => (/^\d+$/.test(port.trim()) ? Number(port.trim()) : port.trim());

  async function save() {
    setConfirm(null);
    setBusy(true);
    setError(null);
    try {
      await props.onSave(hostId, rows.map((r) => ({ switchId: r.switchId, port: toPort(r.port) })));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function submit() {
    if (rows.some((r) => !r.switchId || !r.port.trim())) return setError('every uplink needs a switch and a port');
    const removed = current.filter((u) => !rows.some((r) => sameUplink(r, u)));
    if (removed.length > 0) setConfirm(removed);
    else void save();
  }

  return (
    <form className="host-form uplinks-form" aria-label="Link host uplinks" onSubmit={(e) => (e.preventDefault(), submit())}>
      <label className="field">
        <span>Host</span>
        <select value={hostId} onChange={(e) => chooseHost(e.target.value)} aria-label="host">
          {props.hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      {rows.length === 0 && <p className="muted">No uplinks: the console cannot tell “unreachable” from “down” for this host.</p>}
      {rows.map((row, i) => {
        const sw = network.switches.find((s) => s.id === row.switchId);
        const listId = `ports-${i}`;
        return (
          <div className="uplink-row" key={i} data-uplink-row={i}>
            <select value={row.switchId} onChange={(e) => setRow(i, { switchId: e.target.value })} aria-label={`switch of uplink ${i + 1}`}>
              <option value="">switch…</option>
              {network.switches.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <input list={listId} value={row.port} onChange={(e) => setRow(i, { port: e.target.value })} placeholder="port name or ifIndex" aria-label={`port of uplink ${i + 1}`} />
            <datalist id={listId}>
              {sw?.view.ports.map((p) => (
                <option key={p.ifIndex} value={portName(p)}>
                  {`#${p.ifIndex} ${p.oper}`}
                </option>
              ))}
            </datalist>
            <button type="button" className="small" onClick={() => setRows(rows.filter((_, k) => k !== i))} aria-label={`remove uplink ${i + 1}`}>
              ✕
            </button>
          </div>
        );
      })}
      <button type="button" className="small" onClick={() => setRows([...rows, { switchId: network.switches[0]?.id ?? '', port: '' }])} disabled={rows.length >= 8 || network.switches.length === 0}>
        + Uplink
      </button>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="form-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || !host}>
          Save uplinks
        </button>
      </div>
      {confirm && host && (
        <ConfirmDialog title={`Remove ${confirm.length} uplink${confirm.length > 1 ? 's' : ''} of ${host.name}?`} confirmLabel="Remove and save" danger onCancel={() => setConfirm(null)} onConfirm={() => void save()}>
          <p>The console will forget that {host.name} is plugged into:</p>
          <ul>
            {confirm.map((u) => (
              <li key={`${u.switchId}:${u.port}`}>
                <strong>{u.label}</strong>
              </li>
            ))}
          </ul>
          <p>Nothing on the switch or the host changes. Without its uplinks, a silent {host.name} is reported down, not unreachable.</p>
        </ConfirmDialog>
      )}
    </form>
  );
}
