/**
 * Where a console learns whether it is one of several: command-line flags first, then the environment
 * (TALLY_ETCD, TALLY_CONSOLE_NAME, TALLY_LEASE_TTL, TALLY_ETCD_PREFIX, TALLY_ETCD_USER, TALLY_ETCD_PASSWORD).
 * No etcd given → null: a single console that leads alone.
 */
import { DEFAULT_LEASE_TTL_SEC, type ClusterSettings } from './cluster-module';

export interface ClusterFlags {
  etcd?: string;
  name?: string;
  leaseTtl?: string;
  prefix?: string;
}

export function clusterSettingsFrom(flags: ClusterFlags, env: Record<string, string | undefined>, hostname: string): ClusterSettings | null {
  const endpoints = (flags.etcd ?? env.TALLY_ETCD ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (endpoints.length === 0) return null;
  for (const e of endpoints) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(e)) throw new Error(`etcd endpoint "${e}" is not a URL like http://10.0.0.5:2379`);
  }
  const ttlText = flags.leaseTtl ?? env.TALLY_LEASE_TTL;
  const leaseTtlSec = ttlText === undefined ? DEFAULT_LEASE_TTL_SEC : Number(ttlText);
  // etcd refuses leases shorter than its election timeout allows (about 2 s with its defaults).
  if (!Number.isInteger(leaseTtlSec) || leaseTtlSec < 2 || leaseTtlSec > 60) throw new Error(`the lease TTL must be a whole number of seconds from 2 to 60, not ${ttlText}`);
  const name = (flags.name ?? env.TALLY_CONSOLE_NAME ?? hostname).trim();
  if (!/^[\w.@-]{1,64}$/.test(name)) throw new Error(`the console name "${name}" must be 1–64 letters, digits, '.', '-', '_' or '@'`);
  const prefix = flags.prefix ?? env.TALLY_ETCD_PREFIX ?? '/tally';
  if (!/^\/[\w./-]{0,120}$/.test(prefix)) throw new Error(`the etcd prefix "${prefix}" must start with / and hold only letters, digits, '.', '-', '_' and '/'`);
  return { etcdEndpoints: endpoints, name, leaseTtlSec, prefix, username: env.TALLY_ETCD_USER, password: env.TALLY_ETCD_PASSWORD };
}
