/**
 * The Prometheus text exposition format (0.0.4), shared by the agent's and the console's `GET /metrics`: families,
 * escaping and rendering. Which figures each side reports stays with it (agents/metrics-text.ts,
 * main/core/metrics/). lib/ imports nothing but Node built-ins, so both sides may use it (scripts/dependency-rules.ts).
 */

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter';
export type Labels = Record<string, string>;
export interface Sample {
  labels: Labels;
  /** null or undefined: not known, so left out (never reported as 0). */
  value: number | null | undefined;
}
export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: 'gauge', samples });
export const counter = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: 'counter', samples });

/** Label values may hold anything (host names are typed by operators); the format needs \, " and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes only backslash and newline. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** One HELP and TYPE line per family, then its samples; a family with no known value is left out whole. */
export function renderFamilies(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    const known = family.samples.filter((s): s is { labels: Labels; value: number } => typeof s.value === 'number');
    if (known.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of known) lines.push(`${family.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
