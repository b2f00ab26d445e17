/**
 * Pure: the channel editor's model. The JSON text is the truth (it is what goes to the host, byte for byte); the
 * form's fields read and write paths inside it, and the schema's issues are matched to the field they are about.
 * Whatever the form does not show is edited in the text, and its issues are listed there.
 */
import { type ConfigIssue, parseChannelConfigBytes, X264_PRESETS } from '../../../main/core/api';

export type FieldKind = 'text' | 'number' | 'select';

export interface FormField {
  /** Dotted path in the config, as the schema's issues name it: `video.bitrateKbps`. */
  path: string;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  hint?: string;
  /** What the schema uses when the field is left out. */
  defaultValue?: string;
}

export const FORM_FIELDS: readonly FormField[] = [
  { path: 'input.url', label: 'Input URL', kind: 'text', hint: 'udp://, rtmp://, srt://, http(s):// or lavfi:testsrc2=…' },
  { path: 'video.codec', label: 'Video codec', kind: 'select', options: ['libx264', 'copy'], defaultValue: 'libx264' },
  { path: 'video.preset', label: 'x264 preset', kind: 'select', options: X264_PRESETS, defaultValue: 'veryfast' },
  { path: 'video.bitrateKbps', label: 'Video bitrate (kbit/s)', kind: 'number', hint: '32–100000' },
  { path: 'video.width', label: 'Width (px)', kind: 'number', hint: 'even; empty keeps the input’s' },
  { path: 'video.height', label: 'Height (px)', kind: 'number', hint: 'even; empty keeps the input’s' },
  { path: 'video.fps', label: 'Frame rate', kind: 'number', hint: 'empty keeps the input’s' },
  { path: 'video.keyframeSec', label: 'Keyframe every (s)', kind: 'number', hint: '0.5–10' },
  { path: 'audio.codec', label: 'Audio codec', kind: 'select', options: ['aac', 'mp2', 'copy', 'none'], defaultValue: 'aac' },
  { path: 'audio.bitrateKbps', label: 'Audio bitrate (kbit/s)', kind: 'number', hint: '16–1024' },
  { path: 'overlay.imageUrl', label: 'Overlay image URL', kind: 'text', hint: 'http(s)://…; empty for none' },
];

export type JsonObject = Record<string, unknown>;

export type ParsedText = { ok: true; value: JsonObject } | { ok: false; error: string };

export function parseText(text: string): ParsedText {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the config must be a JSON object ({ … })' };
    return { ok: true, value: value as JsonObject };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** How the lab and the console write configs: two-space JSON and a final newline. */
export function formatConfig(value: JsonObject): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function valueAt(obj: JsonObject, path: string): unknown {
  let at: unknown = obj;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as JsonObject)[key];
  }
  return at;
}

/** The field's text in the form: numbers and strings as typed, anything else (an object, an array) as JSON. */
export function fieldText(obj: JsonObject, path: string): string {
  const v = valueAt(obj, path);
  if (v === undefined || v === null) return '';
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/**
 * A copy of `obj` with the field set from what the operator typed. Empty removes the key (the schema's default
 * applies), and an emptied `overlay` goes with its last field. A number field keeps text that is not a number as
 * text, so the schema says what is wrong with it instead of the form silently dropping it.
 */
export function withField(obj: JsonObject, field: Pick<FormField, 'path' | 'kind'>, raw: string): JsonObject {
  const keys = field.path.split('.');
  const next = structuredClone(obj);
  let parent: JsonObject = next;
  for (const key of keys.slice(0, -1)) {
    const child = parent[key];
    if (child === null || typeof child !== 'object' || Array.isArray(child)) parent[key] = {};
    parent = parent[key] as JsonObject;
  }
  const last = keys.at(-1)!;
  const trimmed = raw.trim();
  if (trimmed === '') {
    delete parent[last];
    if (keys.length > 1 && Object.keys(parent).length === 0 && keys[0] === 'overlay') delete next[keys[0]];
  } else if (field.kind === 'number' && /^-?\d+(\.\d+)?$/.test(trimmed)) {
    parent[last] = Number(trimmed);
  } else {
    parent[last] = field.kind === 'number' ? trimmed : raw;
  }
  return next;
}

export interface CheckedText {
  ok: boolean;
  /** Issues by form field path. */
  byField: ReadonlyMap<string, ConfigIssue[]>;
  /** Issues no form field shows (outputs, unknown keys, a file that is not JSON): listed under the text. */
  other: ConfigIssue[];
}

/** The issue belongs to the field it names, or to a field under it (`overlay.x` under `overlay`). */
function fieldOf(issuePath: string): string | null {
  for (const f of FORM_FIELDS) if (issuePath === f.path || issuePath.startsWith(`${f.path}.`)) return f.path;
  if (issuePath === 'overlay') return 'overlay.imageUrl';
  return null;
}

/** Checks the text exactly as the agent will (UTF-8, JSON, schema, stored name) and sorts the issues by field. */
export function checkText(text: string, channel: string): CheckedText {
  const parsed = parseChannelConfigBytes(new TextEncoder().encode(text), channel);
  if (parsed.ok) return { ok: true, byField: new Map(), other: [] };
  const byField = new Map<string, ConfigIssue[]>();
  const other: ConfigIssue[] = [];
  for (const issue of parsed.issues) {
    const field = fieldOf(issue.path);
    if (field) byField.set(field, [...(byField.get(field) ?? []), issue]);
    else other.push(issue);
  }
  return { ok: false, byField, other };
}

/** A cheap test channel to start a new one from (the operator changes the input first). */
export function newChannelText(name: string): string {
  return formatConfig({
    name,
    input: { url: 'lavfi:testsrc2=size=320x180:rate=10' },
    outputs: [{ type: 'hls', segmentSec: 2, listSize: 6 }],
    video: { preset: 'veryfast', bitrateKbps: 800, keyframeSec: 2 },
    audio: { codec: 'aac', bitrateKbps: 96 },
    epoch: 0,
  });
}
