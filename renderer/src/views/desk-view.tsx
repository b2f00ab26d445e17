import { memo, type ReactNode, useCallback, useEffect, useState } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { displayState, type HostSpec, type HostView, type JournalEntry } from '../../../main/core/api';
import { Clock, useNow } from '../components/clock';
import { ConfirmDialog } from '../components/confirm-dialog';
import { FailoverActions } from '../components/failover-actions';
import { HostForm } from '../components/host-form';
import { LeaderBadge } from '../components/leader-badge';
import { SettingsPanel } from '../components/settings-panel';
import { Sparkline } from '../components/sparkline';
import { StateBadge } from '../components/state-badge';
import type { ConsoleStore, Snapshot } from '../state/console-store';

function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : `${Math.floor(s / 3600)}h ago`;
}

function Summary({ hosts }: { hosts: HostView[] }) {
  const counts = new Map<string, number>();
  for (const h of hosts) counts.set(displayState(h), (counts.get(displayState(h)) ?? 0) + 1);
  return (
    <div className="summary" aria-label="fleet summary">
      {[...counts.entries()].map(([state, n]) => (
        <span key={state} className={`summary-item state-${state}`}>
          {n} {state}
        </span>
      ))}
    </div>
  );
}

/**
 * One row of the host table. Memoised on what it shows, so with a thousand hosts a heartbeat redraws its own row
 * only.
 */
const HostRow = memo(function HostRow(props: {
  host: HostView;
  cpu: number[] | undefined;
  mem: number[] | undefined;
  selected: boolean;
  heartbeat: string;
  onSelect(id: string): void;
}) {
  const { host: h, cpu, mem } = props;
  return (
    <tr className={props.selected ? 'selected' : ''} onClick={() => props.onSelect(h.id)} data-host={h.name} data-host-id={h.id}>
      <td>
        <StateBadge host={h} />
      </td>
      <td className="host-name">
        {h.name}
        <div className="muted">{h.address}</div>
      </td>
      <td>{h.kind}</td>
      <td>{h.role}</td>
      <td className="metric" data-metric="cpu">
        <span className="metric-value">{h.system ? `${h.system.cpuPct.toFixed(0)}%` : '—'}</span>
        <Sparkline values={cpu ?? []} label={`${h.name} CPU`} />
      </td>
      <td className="metric" data-metric="mem">
        <span className="metric-value">{h.system ? `${h.system.memPct.toFixed(0)}%` : '—'}</span>
        <Sparkline values={mem ?? []} label={`${h.name} memory`} />
      </td>
      <td className="muted">{props.heartbeat}</td>
    </tr>
  );
});

/** `nav` goes in the header; `children`, when given, replace the host list (another desk tab); `focusHostId` selects a host. */
export function DeskView({ store, snap, nav, children, focusHostId }: { store: ConsoleStore; snap: Snapshot; nav?: ReactNode; children?: ReactNode; focusHostId?: string | null }) {
  const now = useNow();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [mode, setMode] = useState<'view' | 'add' | 'edit'>('view');
  const [confirmRemove, setConfirmRemove] = useState<HostView | null>(null);
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const operator = snap.session?.access === 'operator';
  const selected = snap.hosts.find((h) => h.id === selectedId) ?? null;
  const selectRow = useCallback((id: string) => (setSelectedId(id), setMode('view')), []);
  useEffect(() => {
    if (!focusHostId) return;
    setSelectedId(focusHostId);
    setMode('view');
    document.querySelector(`tr[data-host-id="${CSS.escape(focusHostId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focusHostId]);

  async function run(action: () => Promise<unknown>) {
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError((err as Error).message);
    }
  }

  return (
    <div className="desk">
      <header className="topbar">
        <h1>Tally</h1>
        {nav}
        <Summary hosts={snap.hosts} />
        <LeaderBadge transport={store.transport} />
        <span className={snap.connected ? 'conn conn-up' : 'conn conn-down'}>{snap.connected ? 'live' : 'reconnecting…'}</span>
        <span className="access">{snap.session ? (operator ? `operator${snap.session.operator ? `: ${snap.session.operator}` : ''}` : 'viewer (read-only)') : ''}</span>
        <button onClick={() => setShowSettings(true)} disabled={!snap.settings}>
          Settings
        </button>
        <a className="wall-link" href="#/wall">
          Wall view
        </a>
        <Clock />
      </header>
      {snap.error && <div className="banner banner-error" role="alert">{snap.error}</div>}
      {snap.fleet?.isolated && (
        <div className="banner banner-error" role="alert">
          Console isolated: {snap.fleet.silent} of {snap.fleet.monitored} hosts went silent at once. Suspecting this console's own network — nothing is failed over until it clears.
        </div>
      )}
      {actionError && (
        <div className="banner banner-error" role="alert">
          {actionError} <button onClick={() => setActionError(null)}>dismiss</button>
        </div>
      )}
      {children ?? (
      <>
      <main className="desk-main">
        <section className="host-list" aria-label="hosts">
          <div className="section-head">
            <h2>Hosts ({snap.hosts.length})</h2>
            {operator && (
              <button className="primary" onClick={() => (setMode('add'), setSelectedId(null))}>
                + Add host
              </button>
            )}
          </div>
          <table>
            <thead>
              <tr>
                <th>State</th>
                <th>Name</th>
                <th>Kind</th>
                <th>Role</th>
                <th>CPU</th>
                <th>Memory</th>
                <th>Heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {snap.hosts.map((h) => {
                const hist = snap.history.get(h.id);
                return (
                  <HostRow key={h.id} host={h} cpu={hist?.cpu} mem={hist?.mem} selected={h.id === selectedId} heartbeat={ago(h.lastHeartbeatAt, now)} onSelect={selectRow} />
                );
              })}
            </tbody>
          </table>
          {snap.hosts.length === 0 && <p className="empty">No hosts yet. {operator ? 'Add one with “+ Add host”.' : ''}</p>}
        </section>
        <aside className="detail" aria-label="detail">
          {mode === 'add' && (
            <>
              <h2>Add host</h2>
              <HostForm
                onCancel={() => setMode('view')}
                onSubmit={async (spec) => {
                  const host = await store.transport.command('host.add', spec as HostSpec);
                  setSelectedId(host.id);
                  setMode('view');
                }}
              />
            </>
          )}
          {mode === 'edit' && selected && (
            <>
              <h2>Edit {selected.name}</h2>
              <HostForm
                host={selected}
                onCancel={() => setMode('view')}
                onSubmit={async (patch) => {
                  await store.transport.command('host.update', { id: selected.id, patch });
                  setMode('view');
                }}
              />
            </>
          )}
          {mode === 'view' && selected && <HostDetail host={selected} snap={snap} operator={operator} onEdit={() => setMode('edit')} onRemove={() => setConfirmRemove(selected)} now={now} store={store} />}
          {mode === 'view' && !selected && <p className="empty">Select a host to see its details.</p>}
        </aside>
      </main>
      <JournalPanel
        entries={snap.journal}
        hosts={snap.hosts}
        operator={operator}
        note={note}
        setNote={setNote}
        onAddNote={() =>
          run(async () => {
            await store.transport.command('journal.note', { text: note });
            setNote('');
          })
        }
      />
      </>
      )}
      {showSettings && snap.settings && (
        <SettingsPanel
          settings={snap.settings}
          canEdit={operator}
          onClose={() => setShowSettings(false)}
          onSave={async (next) => {
            await store.transport.command('settings.update', next);
          }}
        />
      )}
      {confirmRemove && (
        <ConfirmDialog
          title={`Remove host ${confirmRemove.name}?`}
          confirmLabel={`Remove ${confirmRemove.name}`}
          danger
          onCancel={() => setConfirmRemove(null)}
          onConfirm={() => {
            const id = confirmRemove.id;
            setConfirmRemove(null);
            setSelectedId(null);
            void run(() => store.transport.command('host.remove', { id }));
          }}
        >
          <p>
            Tally will stop watching <strong>{confirmRemove.name}</strong> ({confirmRemove.address}) and forget its metrics. The agent on the host
            keeps running and nothing on the host is changed. The journal keeps its history.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function HostDetail({ host, snap, operator, onEdit, onRemove, now, store }: { host: HostView; snap: Snapshot; operator: boolean; onEdit(): void; onRemove(): void; now: number; store: ConsoleStore }) {
  const hist = snap.history.get(host.id);
  const data = (hist?.cpu ?? []).map((cpu, i) => ({ i, cpu, mem: hist?.mem[i] ?? null }));
  return (
    <div className="host-detail">
      <div className="detail-head">
        <h2>{host.name}</h2>
        <StateBadge host={host} />
      </div>
      <dl>
        <dt>Address</dt>
        <dd>{host.address}</dd>
        <dt>Kind / role</dt>
        <dd>
          {host.kind} / {host.role}
        </dd>
        <dt>Group</dt>
        <dd>{host.group || '—'}</dd>
        <dt>Link</dt>
        <dd>
          {host.link}
          {host.linkError ? ` — ${host.linkError}` : ''}
        </dd>
        <dt>Health</dt>
        <dd>
          {host.health} since {new Date(host.healthSince).toLocaleTimeString()}
          {host.healthReason && <div className="muted reason">{host.healthReason}</div>}
        </dd>
        <dt>Agent</dt>
        <dd>{host.agentVersion ? `v${host.agentVersion} · roles ${host.agentRoles.join(', ')}` : '—'}</dd>
        <dt>Last heartbeat</dt>
        <dd>{host.lastHeartbeatAt ? `${Math.round((now - host.lastHeartbeatAt) / 100) / 10}s ago` : 'never'}</dd>
        {host.system && (
          <>
            <dt>System</dt>
            <dd>
              {host.system.hostname} · {host.system.cpuCores} cores · mem {(host.system.memUsedBytes / 2 ** 30).toFixed(1)}/{(host.system.memTotalBytes / 2 ** 30).toFixed(1)} GiB · fullest disk{' '}
              {host.system.diskMaxPct}%
            </dd>
          </>
        )}
      </dl>
      <h3>CPU and memory (last {data.length} samples)</h3>
      <div className="chart" aria-label={`${host.name} CPU and memory chart`}>
        <ResponsiveContainer width="100%" height={160}>
          <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: -18 }}>
            <XAxis dataKey="i" hide />
            <YAxis domain={[0, 100]} tick={{ fill: '#9aa4b2', fontSize: 11 }} />
            <Tooltip contentStyle={{ background: '#1b2028', border: '1px solid #333' }} />
            <Line type="monotone" dataKey="cpu" name="CPU %" stroke="#4fb3ff" dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="mem" name="Memory %" stroke="#c792ea" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      {operator && (
        <div className="detail-actions">
          <button onClick={onEdit}>Edit</button>
          <button className="danger" onClick={onRemove}>
            Remove…
          </button>
        </div>
      )}
      {operator && <FailoverActions host={host} transport={store.transport} />}
    </div>
  );
}

function JournalPanel(props: { entries: JournalEntry[]; hosts: HostView[]; operator: boolean; note: string; setNote(v: string): void; onAddNote(): void }) {
  const names = new Map(props.hosts.map((h) => [h.id, h.name]));
  return (
    <section className="journal" aria-label="journal">
      <div className="section-head">
        <h2>Journal</h2>
        {props.operator && (
          <form
            className="note-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (props.note.trim()) props.onAddNote();
            }}
          >
            <input value={props.note} onChange={(e) => props.setNote(e.target.value)} placeholder="Add a note for the journal…" aria-label="note" />
            <button type="submit">Add note</button>
          </form>
        )}
      </div>
      <ol>
        {[...props.entries]
          .reverse()
          .slice(0, 100)
          .map((e) => (
            <li key={e.id} className={`sev-${e.severity}`}>
              <time>{new Date(e.at).toLocaleTimeString()}</time>
              <span className="sev">{e.severity}</span>
              <span className="msg">{e.message}</span>
              {e.hostId && names.get(e.hostId) && <span className="muted"> · {names.get(e.hostId)}</span>}
              {e.operator && <span className="muted"> · by {e.operator}</span>}
            </li>
          ))}
      </ol>
    </section>
  );
}
