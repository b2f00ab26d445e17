/**
 * The journal, searchable: time window, kind, severity, host and words, read from the day files by the engine.
 * With no end time it follows the journal live. Operators add notes here; notes go into the shift report.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type QueryOutput, Severity } from '../../../main/core/api';
import { fromLocalInput, localTimeText, toLocalInput } from '../components/duration';
import type { ConsoleStore, Snapshot } from '../state/console-store';

type Result = QueryOutput<'journal.search'>;

const KINDS: [string, string][] = [
  ['', 'all kinds'],
  ['note', 'notes'],
  ['alert.', 'alerts'],
  ['silence.', 'silences'],
  ['host.', 'host changes and health'],
  ['operator.', 'sign-ins'],
  ['handover.', 'shift reports'],
  ['agent.', 'agent events'],
  ['console.', 'console'],
];

const TYPING_DEBOUNCE_MS = 300;
const LIVE_REFRESH_MS = 2000;

export function JournalView({ store, snap }: { store: ConsoleStore; snap: Snapshot }) {
  const operator = snap.session?.access === 'operator';
  const [from, setFrom] = useState(() => toLocalInput(Date.now() - 24 * 3600_000));
  const [to, setTo] = useState('');
  const [kind, setKind] = useState('');
  const [severity, setSeverity] = useState<Severity>('info');
  const [hostId, setHostId] = useState('');
  const [text, setText] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const names = new Map(snap.hosts.map((h) => [h.id, h.name]));

  const search = useCallback(async () => {
    const fromMs = fromLocalInput(from);
    const toMs = fromLocalInput(to);
    try {
      setResult(
        await store.transport.query('journal.search', {
          ...(fromMs !== null ? { fromMs } : {}),
          ...(toMs !== null ? { toMs } : {}),
          ...(kind ? { kind } : {}),
          ...(severity !== 'info' ? { severity } : {}),
          ...(hostId ? { hostId } : {}),
          ...(text.trim() ? { text: text.trim() } : {}),
          limit: 500,
        }),
      );
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [store, from, to, kind, severity, hostId, text]);

  // Re-run shortly after the filters change (typing), and — while following live (no end time) — as the journal
  // grows, but at most every LIVE_REFRESH_MS: each search reads the day files.
  const lastEntryId = snap.journal.at(-1)?.id;
  const following = to === '';
  const latest = useRef(search);
  latest.current = search;
  const live = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const t = setTimeout(() => void search(), TYPING_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => {
    if (!following || lastEntryId === undefined || live.current) return;
    live.current = setTimeout(() => {
      live.current = null;
      void latest.current();
    }, LIVE_REFRESH_MS);
  }, [following, lastEntryId]);
  useEffect(
    () => () => {
      if (live.current) clearTimeout(live.current);
    },
    [],
  );

  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (!note.trim()) return;
    try {
      await store.transport.command('journal.note', { text: note });
      setNote('');
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <main className="journal-main" aria-label="journal search">
      <div className="filters" role="search">
        <label>
          From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="from" />
        </label>
        <label>
          To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-label="to" />
        </label>
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="kind">
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} aria-label="minimum severity">
          {Severity.options.map((s) => (
            <option key={s} value={s}>
              {s === 'info' ? 'any severity' : `${s} and worse`}
            </option>
          ))}
        </select>
        <select value={hostId} onChange={(e) => setHostId(e.target.value)} aria-label="host">
          <option value="">all hosts</option>
          {snap.hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Search words…" aria-label="search journal" />
        <span className="muted">{following ? 'following live' : ''}</span>
      </div>
      {operator && (
        <form className="note-form journal-note" onSubmit={addNote}>
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Add a note for the journal and the shift report…" aria-label="journal note" maxLength={4000} />
          <button type="submit" className="primary" disabled={!note.trim()}>
            Add note
          </button>
        </form>
      )}
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      {result && (
        <p className="muted result-count">
          {result.entries.length} entr{result.entries.length === 1 ? 'y' : 'ies'} from {localTimeText(result.fromMs)} to {localTimeText(result.toMs)}
          {result.truncated ? ' (the newest 500; narrow the search to see older ones)' : ''}
          {result.damagedLines > 0 ? ` · ${result.damagedLines} damaged journal line(s) could not be read` : ''}
        </p>
      )}
      <table className="journal-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Severity</th>
            <th>Kind</th>
            <th>Message</th>
            <th>Host</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {result?.entries.map((e) => (
            <tr key={e.id} className={`sev-${e.severity}`} data-kind={e.kind}>
              <td className="muted nowrap">{localTimeText(e.at)}</td>
              <td className="sev">{e.severity}</td>
              <td className="muted">{e.kind}</td>
              <td>{e.message}</td>
              <td>{e.hostId ? (names.get(e.hostId) ?? e.hostId) : ''}</td>
              <td>{e.operator ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result && result.entries.length === 0 && <p className="empty">Nothing in the journal matches.</p>}
    </main>
  );
}
