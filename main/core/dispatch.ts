import { z } from 'zod';
import { type CallContext, commands, type Handlers, isCommandName, isQueryName, queries } from './api';

export type ApiErrorCode = 'bad-input' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable' | 'internal';

/** An error a handler means the caller to see; anything else is reported as "internal". */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type DispatchResult = { ok: true; value: unknown } | { ok: false; code: ApiErrorCode; error: string };

export function describeInputError(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/**
 * Runs one call of the contract for either transport: the name must be in the map, the input must validate,
 * commands need operator access. Both transports call this and nothing else.
 */
export async function dispatch(
  handlers: Handlers,
  kind: 'query' | 'command',
  name: string,
  rawInput: unknown,
  ctx: CallContext,
  onInternalError: (name: string, err: Error) => void,
): Promise<DispatchResult> {
  let run: () => Promise<unknown>;
  if (kind === 'query') {
    if (!isQueryName(name)) return { ok: false, code: 'not-found', error: `no such query: ${name}` };
    const parsed = queries[name].input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) return { ok: false, code: 'bad-input', error: describeInputError(parsed.error) };
    const handler = handlers.queries[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
    run = () => handler(parsed.data, ctx);
  } else {
    if (!isCommandName(name)) return { ok: false, code: 'not-found', error: `no such command: ${name}` };
    if (ctx.access !== 'operator') return { ok: false, code: 'forbidden', error: `${name} needs an operator token` };
    const parsed = commands[name].input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) return { ok: false, code: 'bad-input', error: describeInputError(parsed.error) };
    const handler = handlers.commands[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
    run = () => handler(parsed.data, ctx);
  }
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, code: err.code, error: err.message };
    onInternalError(name, err as Error);
    return { ok: false, code: 'internal', error: `${name} failed: ${(err as Error).message}` };
  }
}

export function httpStatusOf(code: ApiErrorCode): number {
  return { 'bad-input': 400, forbidden: 403, 'not-found': 404, conflict: 409, unavailable: 503, internal: 500 }[code];
}

export interface RefusalJournal {
  /** Journals a refused call (bad input, no access, unknown name, a conflict) — at most once per call and reason
   * kind every `everyMs`, counting the ones in between, so a client that hammers the API cannot flood the journal. */
  note(kind: 'query' | 'command', name: string, ctx: CallContext, result: DispatchResult): void;
}

type JournalLike = { append(entry: { kind: string; severity?: 'info' | 'warning' | 'minor' | 'major' | 'critical'; operator?: string | null; message: string; data?: Record<string, unknown> }): unknown };

export function createRefusalJournal(journal: JournalLike, now: () => number = Date.now, everyMs = 10_000): RefusalJournal {
  const last = new Map<string, { at: number; suppressed: number }>();
  return {
    note(kind, name, ctx, result) {
      if (result.ok || result.code === 'internal') return; // internal errors are journalled where they happen
      // Reading what does not exist is ordinary; the contract's refusals and every refused command are not.
      if (kind === 'query' && result.code === 'not-found' && isQueryName(name)) return;
      const key = `${kind}:${name.slice(0, 80)}:${result.code}`;
      const t = now();
      const seen = last.get(key);
      if (seen && t - seen.at < everyMs) {
        seen.suppressed++;
        return;
      }
      if (last.size > 500) last.clear();
      last.set(key, { at: t, suppressed: 0 });
      const who = ctx.operator ?? (ctx.access === 'viewer' ? 'a viewer' : 'an operator');
      const more = seen?.suppressed ? ` (and ${seen.suppressed} more like it since the last entry)` : '';
      journal.append({
        kind: 'console.call-refused',
        severity: result.code === 'conflict' ? 'info' : 'warning',
        operator: ctx.operator,
        message: `refused ${kind} ${name.slice(0, 80)} from ${who} over ${ctx.transport}: ${result.error.slice(0, 300)}${more}`,
        data: { code: result.code, name: name.slice(0, 80), transport: ctx.transport, suppressed: seen?.suppressed ?? 0 },
      });
    },
  };
}
