import { useEffect, useState } from 'react';
import type { ClusterStatus } from '../../../main/core/api';
import type { UiTransport } from '../transport/ui-transport';

/** This console's place among several (etcd): asked once, then kept current by `cluster.changed` events. */
export function useClusterStatus(transport: UiTransport): ClusterStatus | null {
  const [status, setStatus] = useState<ClusterStatus | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      transport.query('cluster.status', {}).then(
        (s) => live && setStatus(s),
        () => {},
      );
    void load();
    const off = transport.subscribe((event) => {
      if (event.type === 'cluster.changed') setStatus(event.payload);
    });
    const offConnection = transport.onConnection((up) => up && void load());
    return () => {
      live = false;
      off();
      offConnection();
    };
  }, [transport]);
  return status;
}

/** In words and colour: who leads and whether automation runs here. Nothing is shown for a single console. */
export function leaderText(s: ClusterStatus): { text: string; tone: 'ok' | 'reserve' | 'attention' | 'down'; title: string } {
  if (!s.etcd?.reachable) {
    return {
      text: s.automating ? `etcd lost — automating ${Math.ceil((s.leaseLeftMs ?? 0) / 1000)} s more` : 'etcd unreachable — not automating',
      tone: 'down',
      title: `${s.self} cannot reach etcd at ${s.etcd?.endpoint ?? '?'}: ${s.etcd?.error ?? ''}. Automatic failover and recovery-mode resync stop when the lease runs out; operators can still act once etcd answers.`,
    };
  }
  if (s.automating) return { text: 'leader — automating here', tone: 'ok', title: `${s.self} leads: automatic failover and recovery-mode resync run on this console (lease ${s.leaseTtlSec} s).` };
  if (s.leader) return { text: `standby — ${s.leader} leads`, tone: 'reserve', title: `${s.leader} runs automatic failover and resync. Operators can act here; every move is claimed in etcd first.` };
  return { text: 'no leader yet', tone: 'attention', title: 'No console holds the lease right now; one takes it within the lease TTL.' };
}

export function LeaderBadge({ transport, big = false }: { transport: UiTransport; big?: boolean }) {
  const s = useClusterStatus(transport);
  if (!s || s.mode === 'single') return null;
  const { text, tone, title } = leaderText(s);
  return (
    <span className={`badge state-${tone}${big ? ' wall-leader' : ''}`} title={title} aria-label={`consoles: ${text}`} data-cluster={tone}>
      {text}
    </span>
  );
}
