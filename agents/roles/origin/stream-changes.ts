/** What changed between two stream lists, as agent events for the journal (publish started/stopped, appeared/gone). */
import { type AgentEvent, type OriginStream, originStreamKey } from '../../protocol';

/** More changes than this in one poll are summarised, so one event storm cannot crowd out everything else. */
const MAX_CHANGE_EVENTS = 32;

export function streamChangeEvents(before: readonly OriginStream[], after: readonly OriginStream[], atMs: number): AgentEvent[] {
  const old = new Map(before.map((s) => [originStreamKey(s), s]));
  const now = new Map(after.map((s) => [originStreamKey(s), s]));
  const messages: { kind: string; message: string }[] = [];
  for (const [key, s] of now) {
    const prev = old.get(key);
    if (s.publishing && !prev?.publishing) messages.push({ kind: 'origin.stream-publishing', message: `${key} is publishing` });
    if (!s.publishing && prev?.publishing) messages.push({ kind: 'origin.stream-stopped', message: `${key} stopped publishing` });
  }
  for (const [key, prev] of old) {
    if (!now.has(key) && prev.publishing) messages.push({ kind: 'origin.stream-stopped', message: `${key} is gone from the server` });
  }
  if (messages.length > MAX_CHANGE_EVENTS) {
    const rest = messages.length - (MAX_CHANGE_EVENTS - 1);
    messages.splice(MAX_CHANGE_EVENTS - 1, rest, { kind: 'origin.streams-changed', message: `${rest} more streams changed state` });
  }
  return messages.map((m) => ({ at: atMs, ...m }));
}
