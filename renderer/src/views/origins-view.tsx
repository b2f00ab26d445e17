/**
 * The desk's Origins tab: the stream × origin matrix (streams as rows, origins as columns; publishing, bit rate and
 * players per cell; each stream against its minOrigins rule by colour, icon and word), the rule itself (editable by
 * operators, per plant and per stream), and "what goes dark if this origin dies" for a chosen origin.
 */
import { type FormEvent, useState } from 'react';
import { FindingsList } from '../components/findings-list';
import { formatKbps, OriginStateBadge, RedundancyBadge } from '../components/network-badges';
import '../network.css';
import type { ConsoleStore, Snapshot } from '../state/console-store';
import type { OriginColumn, OriginsOverview, StreamRow } from '../state/network-slice';

export function minFor(settings: OriginsOverview['settings'], key: string): number {
  return settings.minOriginsByStream[key] ?? settings.minOrigins;
}

export function OriginsView({ store, snap }: { store: ConsoleStore; snap: Snapshot }) {
  const overview = snap.network.origins;
  const operator = snap.session?.access === 'operator';
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!overview) return <main className="origins-main"><p className="empty">Loading the origins…</p></main>;
  const { matrix, settings } = overview;
  const findings = snap.network.findings.filter((f) => f.source === 'origins');
  const selected = matrix.streams.find((s) => s.key === selectedKey) ?? null;
  const origin = matrix.origins.find((o) => o.hostId === chosen) ?? matrix.origins[0] ?? null;

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <main className="origins-main">
      <section className="matrix-section" aria-label="stream × origin matrix">
        <div className="section-head">
          <h2>
            Streams × origins — {matrix.streams.length} stream{matrix.streams.length === 1 ? '' : 's'} on {matrix.origins.length} origin{matrix.origins.length === 1 ? '' : 's'}
          </h2>
          <RuleEditor minOrigins={settings.minOrigins} canEdit={operator} onSave={(minOrigins) => run(() => store.transport.command('origins.rules.update', { minOrigins }))} />
        </div>
        {error && <p className="form-error" role="alert">{error}</p>}
        {matrix.origins.length === 0 ? (
          <p className="empty">No origin reports yet. A host becomes an origin column when its agent runs the origin role (or its kind is “origin”).</p>
        ) : (
          <Matrix origins={matrix.origins} streams={matrix.streams} settings={settings} selectedKey={selectedKey} onSelect={setSelectedKey} />
        )}
        <h2 className="subhead">Rule findings</h2>
        <FindingsList findings={findings} empty="Every stream is live on as many origins as its rule wants." label="origin findings" />
      </section>
      <aside className="detail" aria-label="origin detail">
        {origin && (
          <ImpactPanel overview={overview} origin={origin} onChoose={setChosen} />
        )}
        {selected && <StreamDetail key={selected.key} row={selected} overview={overview} canEdit={operator} run={run} store={store} />}
      </aside>
    </main>
  );
}

function RuleEditor({ minOrigins, canEdit, onSave }: { minOrigins: number; canEdit: boolean; onSave(n: number): Promise<void> }) {
  const [value, setValue] = useState(String(minOrigins));
  const [editing, setEditing] = useState(false);
  if (!canEdit || !editing) {
    return (
      <div className="rule" data-rule={minOrigins}>
        Rule: every stream live on at least <strong>{minOrigins}</strong> origin{minOrigins === 1 ? '' : 's'}
        {minOrigins >= 2 ? ' (hot backup)' : ''}
        {canEdit && (
          <button className="small" onClick={() => (setValue(String(minOrigins)), setEditing(true))}>
            Change…
          </button>
        )}
      </div>
    );
  }
  const n = Number(value);
  const valid = Number.isInteger(n) && n >= 1 && n <= 16;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    await onSave(n);
    setEditing(false);
  };
  return (
    <form className="rule" onSubmit={(e) => void submit(e)} aria-label="minOrigins rule">
      <label>
        Every stream live on at least <input className="num" inputMode="numeric" value={value} onChange={(e) => setValue(e.target.value)} aria-label="minimum origins per stream" autoFocus /> origins
      </label>
      {!valid && <em className="field-error">a whole number, 1–16</em>}
      <button type="button" className="small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      <button type="submit" className="small primary" disabled={!valid}>
        Save rule
      </button>
    </form>
  );
}

function Matrix(props: { origins: OriginColumn[]; streams: StreamRow[]; settings: OriginsOverview['settings']; selectedKey: string | null; onSelect(key: string): void }) {
  return (
    <div className="matrix-scroll">
      <table className="matrix" data-matrix="origins">
        <thead>
          <tr>
            <th>Stream</th>
            <th>Redundancy</th>
            {props.origins.map((o) => (
              <th key={o.hostId} className="origin-head" data-origin={o.hostName}>
                <div className="origin-name">{o.hostName}</div>
                <OriginStateBadge state={o.state} title={o.error ?? undefined} />
                <div className="muted">
                  {o.server ?? 'no server'} · {o.publishingCount} live{o.truncated ? ' · list cut short' : ''}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.streams.map((row) => {
            const min = minFor(props.settings, row.key);
            return (
              <tr key={row.key} data-stream={row.key} className={row.key === props.selectedKey ? 'selected' : ''} onClick={() => props.onSelect(row.key)}>
                <td className="stream-name">
                  {row.key}
                  <div className="muted">{[row.video, row.audio].filter(Boolean).join(' · ') || 'no track info'}</div>
                </td>
                <td>
                  <RedundancyBadge live={row.liveOn.length} min={min} />
                  {props.settings.minOriginsByStream[row.key] !== undefined && <div className="muted">own rule: {min}</div>}
                </td>
                {props.origins.map((o) => (
                  <Cell key={o.hostId} row={row} origin={o} />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.streams.length === 0 && <p className="empty">The origins list no streams.</p>}
    </div>
  );
}

function Cell({ row, origin }: { row: StreamRow; origin: OriginColumn }) {
  const cell = row.cells[origin.hostId];
  if (!cell) {
    return (
      <td className="cell cell-absent" data-origin={origin.hostName} data-cell="absent">
        <span className="cell-state">— not here</span>
      </td>
    );
  }
  const state = cell.live ? 'live' : cell.publishing ? 'stale' : 'idle';
  const label = cell.live ? '● LIVE' : cell.publishing ? '◐ NOT COUNTED' : '○ NO PUBLISHER';
  const why = !cell.live && cell.publishing ? `publishing, but ${origin.hostName} is ${origin.state}` : undefined;
  return (
    <td className={`cell cell-${state}`} data-origin={origin.hostName} data-cell={state} title={why}>
      <span className="cell-state">{label}</span>
      <span className="cell-figures">
        in {formatKbps(cell.bitrateInKbps)} · {cell.clients} player{cell.clients === 1 ? '' : 's'}
      </span>
    </td>
  );
}

function ImpactPanel({ overview, origin, onChoose }: { overview: OriginsOverview; origin: OriginColumn; onChoose(id: string): void }) {
  const impact = overview.impacts.find((i) => i.hostId === origin.hostId);
  const names = new Map(overview.matrix.origins.map((o) => [o.hostId, o.hostName]));
  return (
    <section className="impact" aria-label="what goes dark">
      <h2>
        What goes dark if{' '}
        <select value={origin.hostId} onChange={(e) => onChoose(e.target.value)} aria-label="origin that dies">
          {overview.matrix.origins.map((o) => (
            <option key={o.hostId} value={o.hostId}>
              {o.hostName}
            </option>
          ))}
        </select>{' '}
        dies?
      </h2>
      {!impact || (impact.dark.length === 0 && impact.belowMin.length === 0) ? (
        <p className="impact-none state-ok">Nothing: every stream on {origin.hostName} is live elsewhere as often as its rule wants.</p>
      ) : (
        <>
          <h3 className="impact-dark state-down">
            {impact.dark.length} stream{impact.dark.length === 1 ? '' : 's'} off the air{impact.playersCut > 0 ? ` · ${impact.playersCut} players cut` : ''}
          </h3>
          <ul className="impact-list" data-impact="dark">
            {impact.dark.map((s) => (
              <li key={s.key}>
                <strong>{s.key}</strong> — live only on {origin.hostName}
                {s.clients > 0 ? `, ${s.clients} players` : ''}
              </li>
            ))}
          </ul>
          <h3 className="impact-below state-attention">
            {impact.belowMin.length} stream{impact.belowMin.length === 1 ? '' : 's'} left below the minimum
          </h3>
          <ul className="impact-list" data-impact="below-min">
            {impact.belowMin.map((s) => (
              <li key={s.key}>
                <strong>{s.key}</strong> — still on {s.remaining.map((id) => names.get(id) ?? id).join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function StreamDetail(props: { row: StreamRow; overview: OriginsOverview; canEdit: boolean; store: ConsoleStore; run(action: () => Promise<unknown>): Promise<void> }) {
  const { row, overview } = props;
  const own = overview.settings.minOriginsByStream[row.key];
  const [value, setValue] = useState(own === undefined ? '' : String(own));
  const names = new Map(overview.matrix.origins.map((o) => [o.hostId, o.hostName]));
  const n = Number(value);
  const valid = value.trim() === '' || (Number.isInteger(n) && n >= 0 && n <= 16);
  const save = (minOrigins: number | null) => props.run(() => props.store.transport.command('origins.rules.update', { stream: { key: row.key, minOrigins } }));
  return (
    <section className="stream-detail" aria-label={`stream ${row.key}`}>
      <h2>{row.key}</h2>
      <dl>
        <dt>Live on</dt>
        <dd>{row.liveOn.length > 0 ? row.liveOn.map((id) => names.get(id) ?? id).join(', ') : 'no origin'}</dd>
        <dt>Players</dt>
        <dd>{row.clients}</dd>
        <dt>Video</dt>
        <dd>{row.video ?? '—'}</dd>
        <dt>Audio</dt>
        <dd>{row.audio ?? '—'}</dd>
        <dt>Rule</dt>
        <dd>
          at least {minFor(overview.settings, row.key)} origin(s){own === undefined ? ' (the default)' : ' (its own rule)'}
        </dd>
      </dl>
      {props.canEdit && (
        <form
          className="rule"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void save(value.trim() === '' ? null : n);
          }}
        >
          <label>
            Own minimum <input className="num" inputMode="numeric" value={value} placeholder={String(overview.settings.minOrigins)} onChange={(e) => setValue(e.target.value)} aria-label={`minimum origins for ${row.key}`} />
          </label>
          {!valid && <em className="field-error">0–16, or empty for the default</em>}
          <button type="submit" className="small primary" disabled={!valid}>
            {value.trim() === '' ? 'Use the default' : 'Save'}
          </button>
        </form>
      )}
    </section>
  );
}
