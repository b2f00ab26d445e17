/**
 * The origins module: the origin part of every heartbeat → the stream × origin matrix, the minOrigins rule (editable,
 * saved under `origins.rules`), "what goes dark if this origin dies", and the rule's findings on the findings board.
 * The matrix is rebuilt at most once a second, and only when a heartbeat or a host's health changed it.
 */
import type { OriginStatus } from '../../../agents/protocol';
import type { CallContext } from '../api';
import { ApiError, describeInputError } from '../dispatch';
import type { EngineContext, EngineModule } from '../engine-context';
import type { Finding } from '../findings/finding';
import type { FindingsModule } from '../findings/findings-module';
import { loadStoredValue } from '../store/stored-value';
import { DEFAULT_ORIGIN_SETTINGS, type OriginMatrix, OriginSettings } from './matrix-view';
import { originLossImpact, originLossImpacts } from './origin-impact';
import { buildOriginMatrix, type OriginReport } from './origin-matrix';
import type { OriginsCommandName, OriginsOverview, OriginsQueryName } from './origins-contract';
import { originFindings } from './redundancy-rules';

export const ORIGIN_RULES_KEY = 'origins.rules';
const REBUILD_MS = 1000;
/** Findings wait for every origin to report once (or this long) so a restart does not clear and re-raise them all. */
export const ORIGIN_FINDINGS_WARMUP_MS = 10_000;

export interface OriginsModuleDeps {
  findings: Pick<FindingsModule, 'publish'>;
  /** Streams that must exist (a channel's output): one missing everywhere is critical, not major. */
  expectedStreams?: () => readonly string[];
}

export interface OriginsModule extends EngineModule<OriginsQueryName, OriginsCommandName> {
  /** The matrix as last built (the network module derives its stream-origin redundancy groups from it). */
  matrix(): OriginMatrix;
  /** Rebuilds now and publishes what changed; returns the new overview. */
  refresh(): OriginsOverview;
}

export function createOriginsModule(ctx: EngineContext, deps: OriginsModuleDeps): OriginsModule {
  const { fleet, clock } = ctx;
  const loaded = loadStoredValue(ctx.store, ORIGIN_RULES_KEY, OriginSettings, DEFAULT_ORIGIN_SETTINGS);
  let settings = loaded.value;
  let storeProblem = loaded.problem;
  if (storeProblem) {
    ctx.log('error', storeProblem);
    ctx.journal.append({ kind: 'origins.rules-invalid', severity: 'major', message: storeProblem });
  }
  const reports = new Map<string, OriginStatus>();
  let overview: OriginsOverview = { matrix: { origins: [], streams: [] }, settings, impacts: [], builtAt: clock.now() };
  let lastSent = '';
  let dirty = true;
  let startedAt = clock.now();
  let findingsLive = false;
  const offs: (() => void)[] = [];
  let timer: { cancel(): void } | null = null;

  const isOriginHost = (rt: ReturnType<typeof fleet.all>[number]) => rt.host.kind === 'origin' || rt.agentRoles.includes('origin') || reports.has(rt.host.id);
  /** Hosts added, removed or renamed reach no listener: their ids and names in one string show the change. */
  const columnsSignature = () =>
    fleet
      .all()
      .filter(isOriginHost)
      .map((rt) => `${rt.host.id}\u0000${rt.host.name}`)
      .join('\u0001');
  let lastColumns = '';

  function collect(): OriginReport[] {
    const present = new Set<string>();
    const out: OriginReport[] = [];
    for (const rt of fleet.all()) {
      present.add(rt.host.id);
      if (!isOriginHost(rt)) continue;
      out.push({ hostId: rt.host.id, hostName: rt.host.name, hostUp: rt.health.state !== 'down', status: reports.get(rt.host.id) ?? null });
    }
    for (const id of reports.keys()) if (!present.has(id)) reports.delete(id);
    return out;
  }

  function storeFinding(): Finding[] {
    if (!storeProblem) return [];
    return [{ key: 'origins:rules-store', kind: 'store.invalid', severity: 'major', hostId: null, summary: storeProblem.slice(0, 500), hostDown: false, fix: 'Set the minOrigins rule again in the Origins view; that saves a valid one.', related: [] }];
  }

  function rebuild(): OriginsOverview {
    dirty = false;
    lastColumns = columnsSignature();
    const matrix = buildOriginMatrix(collect(), deps.expectedStreams?.() ?? []);
    overview = { matrix, settings, impacts: originLossImpacts(matrix, settings), builtAt: clock.now() };
    const text = JSON.stringify([matrix, settings]);
    if (text !== lastSent) {
      lastSent = text;
      ctx.emit({ type: 'origins.changed', payload: overview });
    }
    const settled = matrix.origins.every((o) => o.state !== 'no-report' && o.state !== 'starting');
    findingsLive ||= settled || clock.now() - startedAt >= ORIGIN_FINDINGS_WARMUP_MS;
    if (findingsLive) deps.findings.publish('origins', [...storeFinding(), ...originFindings(matrix, settings)]);
    return overview;
  }

  function updateRules(patch: { minOrigins?: number; stream?: { key: string; minOrigins: number | null } }, call: CallContext): OriginSettings {
    const byStream = { ...settings.minOriginsByStream };
    if (patch.stream) {
      if (patch.stream.minOrigins === null) delete byStream[patch.stream.key];
      else byStream[patch.stream.key] = patch.stream.minOrigins;
    }
    const next = OriginSettings.safeParse({ minOrigins: patch.minOrigins ?? settings.minOrigins, minOriginsByStream: byStream });
    if (!next.success) throw new ApiError('bad-input', describeInputError(next.error));
    ctx.store.set(ORIGIN_RULES_KEY, next.data);
    settings = next.data;
    storeProblem = null;
    const who = call.operator ?? 'an operator';
    const what = [
      patch.minOrigins !== undefined ? `every stream must be live on ${patch.minOrigins} origin${patch.minOrigins > 1 ? 's' : ''}` : null,
      patch.stream ? (patch.stream.minOrigins === null ? `${patch.stream.key} follows the default again` : `${patch.stream.key} must be live on ${patch.stream.minOrigins}`) : null,
    ].filter(Boolean);
    ctx.journal.append({ kind: 'origins.rules-updated', operator: call.operator, message: `${who} changed the origin rule: ${what.join('; ')}`, data: { settings } });
    rebuild();
    return settings;
  }

  return {
    matrix: () => overview.matrix,
    refresh: rebuild,
    queries: {
      'origins.overview': async () => (dirty ? rebuild() : overview),
      'origins.impact': async ({ hostId }) => {
        const matrix = dirty ? rebuild().matrix : overview.matrix;
        if (!matrix.origins.some((o) => o.hostId === hostId)) throw new ApiError('not-found', `host ${hostId} is not an origin`);
        return originLossImpact(matrix, hostId, settings);
      },
    },
    commands: {
      'origins.rules.update': async (patch, call) => updateRules(patch, call),
    },
    start() {
      startedAt = clock.now();
      offs.push(
        fleet.onMessage((rt, message) => {
          if (message.type === 'hello' && !message.roles.includes('origin')) reports.delete(rt.host.id);
          if (message.type !== 'heartbeat') return;
          if (message.status.origin) reports.set(rt.host.id, message.status.origin);
          else if (!rt.agentRoles.includes('origin')) reports.delete(rt.host.id);
          else return;
          dirty = true;
        }),
        fleet.onHealthChange(() => void (dirty = true)),
      );
      timer = clock.setInterval(() => {
        if (dirty || !findingsLive || columnsSignature() !== lastColumns) rebuild();
      }, REBUILD_MS);
    },
    stop() {
      timer?.cancel();
      for (const off of offs.splice(0)) off();
    },
  };
}
