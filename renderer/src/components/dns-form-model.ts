/**
 * The DNS re-pointing form as plain data: what the operator typed ↔ the contract's DnsSettings, with every problem
 * named at its field. Pure, so it is unit-tested without a browser.
 */
import type { CommandInput, QueryOutput } from '../../../main/core/api';

type DnsSettingsInput = NonNullable<CommandInput<'failover.dns.set'>>;
type DnsView = QueryOutput<'failover.dns.get'>;

export interface DnsForm {
  server: string;
  port: string;
  zone: string;
  ttlSec: string;
  keyName: string;
  /** Never read back from the console: typed again to change anything. */
  secretBase64: string;
  /** One `channel = dns.name.` per line. */
  records: string;
}

export const EMPTY_DNS_FORM: DnsForm = { server: '', port: '53', zone: '', ttlSec: '30', keyName: '', secretBase64: '', records: '' };

export function formOf(view: DnsView): DnsForm {
  if (!view) return EMPTY_DNS_FORM;
  return {
    server: view.server.host,
    port: String(view.server.port),
    zone: view.zone,
    ttlSec: String(view.ttlSec),
    keyName: view.keyName,
    secretBase64: '',
    records: Object.entries(view.records)
      .map(([channel, name]) => `${channel} = ${name}`)
      .join('\n'),
  };
}

export type FieldErrors = Partial<Record<keyof DnsForm, string>>;

const DNS_NAME = /^(?=.{1,253}\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

export function settingsOf(form: DnsForm): { ok: true; settings: DnsSettingsInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const server = form.server.trim();
  if (!server) errors.server = 'the DNS server that accepts updates for the zone (its address or name)';
  const port = Number(form.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'a port from 1 to 65535 (53 for DNS)';
  const zone = form.zone.trim();
  if (!DNS_NAME.test(zone)) errors.zone = 'a zone name like live.example.net';
  const ttlSec = Number(form.ttlSec);
  if (!Number.isInteger(ttlSec) || ttlSec < 1 || ttlSec > 86_400) errors.ttlSec = 'seconds from 1 to 86400; short (30) so players follow a failover quickly';
  const keyName = form.keyName.trim();
  if (!DNS_NAME.test(keyName)) errors.keyName = 'the TSIG key name the server knows, like tally-key';
  const secret = form.secretBase64.trim();
  if (!/^[A-Za-z0-9+/]{16,}={0,2}$/.test(secret)) errors.secretBase64 = 'the key’s secret in base64 (as in the server’s key file); it is not shown again, so type it to save';
  const records: Record<string, string> = {};
  const bad: string[] = [];
  for (const [i, raw] of form.records.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([^=\s]+)\s*=\s*(\S+)$/.exec(line);
    if (!m || !DNS_NAME.test(m[2]!)) {
      bad.push(`line ${i + 1}`);
      continue;
    }
    if (records[m[1]!]) bad.push(`line ${i + 1} (${m[1]} twice)`);
    records[m[1]!] = m[2]!;
  }
  if (bad.length) errors.records = `write one "channel = name.in.the.zone." per line (${bad.join(', ')})`;
  else if (Object.keys(records).length === 0) errors.records = 'name at least one channel and the DNS name its outputs are published under';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, settings: { server: { host: server, port }, key: { name: keyName, secretBase64: secret }, zone, ttlSec, records } };
}
