/**
 * The desk's Switches tab: the switches with their SNMP state (a timeout or a wrong community is a state, shown with
 * its reason), the selected switch's ports as a grid with traffic, errors and the hosts plugged in, one port's traffic
 * chart, its uplinks, the hosts the network cannot reach, and the single-point-of-failure advisories with their fix.
 * Operators add, edit and remove switches and link hosts to ports; removing anything is confirmed by name.
 */
import { useState } from 'react';
import { useNow } from '../components/clock';
import { ConfirmDialog } from '../components/confirm-dialog';
import { FindingsList } from '../components/findings-list';
import { formatUptime, SwitchStateBadge } from '../components/network-badges';
import { StateIcon } from '../components/state-badge';
import { SwitchForm } from '../components/switch-form';
import { PortChart, PortGrid } from '../components/switch-ports';
import { UplinksForm } from '../components/uplinks-form';
import '../network.css';
import type { ConsoleStore, Snapshot } from '../state/console-store';
import type { NetworkOverview, SwitchInfo } from '../state/network-slice';

type Mode = { kind: 'view' } | { kind: 'add' } | { kind: 'edit'; id: string } | { kind: 'uplinks'; hostId: string | null };

function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : `${Math.floor(s / 3600)}h ago`;
}

export function SwitchesView({ store, snap }: { store: ConsoleStore; snap: Snapshot }) {
  const now = useNow();
  const network = snap.network.network;
  const operator = snap.session?.access === 'operator';
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [port, setPort] = useState<number | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [confirmRemove, setConfirmRemove] = useState<SwitchInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!network) return <main className="switches-main"><p className="empty">Loading the switches…</p></main>;
  const sw = network.switches.find((s) => s.id === selectedId) ?? network.switches[0] ?? null;
  const selectedPort = sw?.view.ports.find((p) => p.ifIndex === port) ?? null;
  const traffic = sw ? snap.network.traffic.get(sw.id) : undefined;
  const networkFindings = snap.network.findings.filter((f) => f.source === 'network' && f.kind !== 'network.spof');

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <main className="switches-main">
      <section className="switch-list" aria-label="switches">
        <div className="section-head">
          <h2>Switches ({network.switches.length})</h2>
          {operator && (
            <button className="primary small" onClick={() => setMode({ kind: 'add' })}>
              + Add switch
            </button>
          )}
        </div>
        {network.storeProblem && (
          <p className="banner banner-error" role="alert">
            {network.storeProblem}
          </p>
        )}
        {network.switches.length === 0 && <p className="empty">No switches yet. {operator ? 'Add one with “+ Add switch”.' : ''}</p>}
        {network.switches.map((s) => (
          <button key={s.id} type="button" className={`switch-card${s.id === sw?.id ? ' selected' : ''}`} data-switch={s.name} onClick={() => (setSelectedId(s.id), setPort(null))}>
            <span className="switch-card-name">{s.name}</span>
            <SwitchStateBadge state={s.view.state} title={s.view.error ?? undefined} />
            <span className="muted">
              {s.address}:{s.snmpPort} · {s.view.ports.filter((p) => p.oper === 'up').length}/{s.view.ports.length} ports up · {s.uplinks.length} uplink{s.uplinks.length === 1 ? '' : 's'}
            </span>
            {s.view.state !== 'up' && s.view.error && <span className="switch-card-error">{s.view.error}</span>}
          </button>
        ))}
        <Reachability network={network} />
      </section>
      <section className="switch-detail" aria-label="switch detail">
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {sw ? (
          <>
            <div className="detail-head">
              <h2>{sw.name}</h2>
              <SwitchStateBadge state={sw.view.state} />
              {operator && (
                <span className="detail-actions">
                  <button className="small" onClick={() => void run(() => store.transport.command('switch.poll', { id: sw.id }))}>
                    Poll now
                  </button>
                  <button className="small" onClick={() => setMode({ kind: 'edit', id: sw.id })}>
                    Edit
                  </button>
                  <button className="small danger" onClick={() => setConfirmRemove(sw)}>
                    Remove…
                  </button>
                </span>
              )}
            </div>
            <dl className="switch-facts">
              <dt>SNMP</dt>
              <dd data-snmp-state={sw.view.state}>
                {sw.view.state === 'up' ? `answers (v2c, ${sw.address}:${sw.snmpPort})` : sw.view.error ?? 'not polled yet'} · polled {ago(sw.view.polledAt, now)} · every {sw.pollMs / 1000} s
              </dd>
              <dt>System</dt>
              <dd>
                {sw.view.sysName ?? '—'} · up {formatUptime(sw.view.uptimeSec)}
                {sw.view.lastRestartAt !== null && <strong className="restart"> · restarted {ago(sw.view.lastRestartAt, now)}</strong>}
                {sw.icmp ? ` · ping ${sw.view.rttMs === null ? 'no answer' : `${sw.view.rttMs.toFixed(1)} ms`}` : ' · ping off'}
              </dd>
            </dl>
            <PortGrid sw={sw} traffic={traffic} selected={selectedPort?.ifIndex ?? null} onSelect={setPort} />
            {selectedPort && <PortChart port={selectedPort} points={traffic?.get(selectedPort.ifIndex) ?? []} />}
            <div className="section-head">
              <h2>Uplinks to hosts</h2>
              {operator && (
                <button className="small" onClick={() => setMode({ kind: 'uplinks', hostId: null })}>
                  Link host uplinks…
                </button>
              )}
            </div>
            {sw.uplinks.length === 0 ? (
              <p className="empty">No host is recorded on this switch.</p>
            ) : (
              <table className="uplinks" aria-label={`uplinks of ${sw.name}`}>
                <thead>
                  <tr>
                    <th>Host</th>
                    <th>Port</th>
                    <th>State</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {sw.uplinks.map((u) => (
                    <tr key={`${u.hostId}:${u.port}`} data-uplink={`${u.hostName} ${u.port}`}>
                      <td className="host-name">{u.hostName}</td>
                      <td>{u.label}</td>
                      <td>
                        <span className={`badge state-${u.state === 'up' ? 'ok' : u.state === 'down' ? 'down' : 'unknown'}`}>
                          <StateIcon state={u.state === 'up' ? 'ok' : u.state === 'down' ? 'down' : 'unknown'} size={14} />
                          <span>{u.state.toUpperCase()}</span>
                        </span>
                        {u.reason && <div className="muted">{u.reason}</div>}
                      </td>
                      <td>
                        {operator && (
                          <button className="small" onClick={() => setMode({ kind: 'uplinks', hostId: u.hostId })}>
                            Edit…
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        ) : (
          <p className="empty">Select a switch.</p>
        )}
      </section>
      <aside className="detail" aria-label="network forms and advisories">
        {mode.kind === 'add' && (
          <>
            <h2>Add switch</h2>
            <SwitchForm
              onCancel={() => setMode({ kind: 'view' })}
              onSubmit={async (input) => {
                const added = await store.transport.command('switch.add', input as never);
                setSelectedId(added.id);
                setMode({ kind: 'view' });
              }}
            />
          </>
        )}
        {mode.kind === 'edit' && network.switches.some((s) => s.id === mode.id) && (
          <>
            <h2>Edit {network.switches.find((s) => s.id === mode.id)!.name}</h2>
            <SwitchForm
              sw={network.switches.find((s) => s.id === mode.id)}
              onCancel={() => setMode({ kind: 'view' })}
              onSubmit={async (patch) => {
                await store.transport.command('switch.update', { id: mode.id, patch });
                setMode({ kind: 'view' });
              }}
            />
          </>
        )}
        {mode.kind === 'uplinks' && (
          <>
            <h2>Link host uplinks</h2>
            <UplinksForm
              key={mode.hostId ?? ''}
              hosts={snap.hosts}
              network={network}
              initialHostId={mode.hostId}
              onCancel={() => setMode({ kind: 'view' })}
              onSave={async (hostId, uplinks) => {
                await store.transport.command('host.uplinks.set', { hostId, uplinks });
                setMode({ kind: 'view' });
              }}
            />
          </>
        )}
        {mode.kind === 'view' && (
          <>
            <h2>Single points of failure</h2>
            <FindingsList findings={network.advisories} empty="No backup pair, replica set or stream's origins hangs off one switch alone." label="advisories" />
            <h2>Network findings</h2>
            <FindingsList findings={networkFindings} empty="No switch is down and no host is cut off." label="network findings" />
          </>
        )}
      </aside>
      {confirmRemove && (
        <ConfirmDialog
          title={`Remove switch ${confirmRemove.name}?`}
          confirmLabel={`Remove ${confirmRemove.name}`}
          danger
          onCancel={() => setConfirmRemove(null)}
          onConfirm={() => {
            const id = confirmRemove.id;
            setConfirmRemove(null);
            setSelectedId(null);
            void run(() => store.transport.command('switch.remove', { id }));
          }}
        >
          <p>
            Tally will stop polling <strong>{confirmRemove.name}</strong> ({confirmRemove.address}) and forget its community and traffic history. Nothing on the switch changes.
          </p>
          {confirmRemove.uplinks.length > 0 ? (
            <>
              <p>These {confirmRemove.uplinks.length} uplinks are removed with it — those hosts will be reported down, not unreachable, if they go silent:</p>
              <ul>
                {confirmRemove.uplinks.map((u) => (
                  <li key={`${u.hostId}:${u.port}`}>
                    {u.hostName} on {u.label}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>No host uplink is recorded on it.</p>
          )}
        </ConfirmDialog>
      )}
    </main>
  );
}

/** Hosts the network has something to say about: cut off (unreachable), an uplink down, or no uplink recorded. */
function Reachability({ network }: { network: NetworkOverview }) {
  const notable = network.hosts.filter((h) => h.reachability !== 'reachable' && h.reachability !== 'unlinked');
  const unlinked = network.hosts.filter((h) => h.reachability === 'unlinked');
  return (
    <div className="reachability" aria-label="host reachability">
      <h2>Hosts behind the switches</h2>
      {notable.length === 0 ? (
        <p className="muted">Every linked host has an uplink up.</p>
      ) : (
        <ul>
          {notable.map((h) => (
            <li key={h.hostId} className={`state-${h.reachability === 'unreachable' ? 'unreachable' : 'attention'}`} data-reachability={h.reachability}>
              <span className="badge">
                <StateIcon state={h.reachability === 'unreachable' ? 'unreachable' : 'attention'} size={14} />
                <span>{h.reachability.toUpperCase()}</span>
              </span>{' '}
              <strong>{h.hostName}</strong>
              {h.reason && <div className="muted">{h.reason}</div>}
            </li>
          ))}
        </ul>
      )}
      {unlinked.length > 0 && <p className="muted">No uplink recorded for {unlinked.map((h) => h.hostName).join(', ')}.</p>}
    </div>
  );
}

