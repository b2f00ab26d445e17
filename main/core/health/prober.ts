/**
 * The shell around the detector's `probe` effect: one round checks the agent's API from the console, reads the latest
 * ICMP result (ping runs beside the round; it is evidence, not a gate), and asks up to two healthy peers to probe the
 * host from where they stand (POST /v1/probe on their agents).
 */
import ping from 'ping';
import { ProbeResponse } from '../../../agents/protocol';
import type { ProbeOutcome, ProbeRound } from './detector';

export interface ProbeTarget {
  hostId: string;
  address: string;
}

export interface PeerHandle {
  peerId: string;
  request<T>(method: 'POST', path: string, body: unknown, timeoutMs: number): Promise<T>;
}

export interface ProberPorts {
  /** Any HTTP answer from the agent counts as alive (a 401 is an agent answering). */
  checkApi(address: string, timeoutMs: number): Promise<ProbeOutcome>;
  ping(host: string): Promise<ProbeOutcome>;
}

export class Prober {
  private readonly lastIcmp = new Map<string, ProbeOutcome>();

  constructor(private readonly ports: ProberPorts) {}

  async round(target: ProbeTarget, peers: PeerHandle[], timeoutMs: number): Promise<ProbeRound> {
    void this.refreshIcmp(target);
    const [consoleApi, peerResults] = await Promise.all([
      this.ports.checkApi(target.address, timeoutMs),
      Promise.all(peers.slice(0, 2).map((peer) => this.askPeer(peer, target, timeoutMs))),
    ]);
    return { consoleApi, consoleIcmp: this.lastIcmp.get(target.hostId) ?? 'unavailable', peers: peerResults };
  }

  forget(hostId: string): void {
    this.lastIcmp.delete(hostId);
  }

  private async refreshIcmp(target: ProbeTarget): Promise<void> {
    const host = target.address.startsWith('[') ? target.address.slice(1, target.address.indexOf(']')) : target.address.slice(0, target.address.lastIndexOf(':'));
    this.lastIcmp.set(target.hostId, await this.ports.ping(host));
  }

  private async askPeer(peer: PeerHandle, target: ProbeTarget, timeoutMs: number): Promise<ProbeRound['peers'][number]> {
    try {
      const raw = await peer.request<unknown>('POST', '/v1/probe', { target: target.address, timeoutMs }, timeoutMs + 300);
      const parsed = ProbeResponse.safeParse(raw);
      if (!parsed.success) return { peerId: peer.peerId, api: 'unavailable', icmp: 'unavailable' };
      return { peerId: peer.peerId, api: parsed.data.api, icmp: parsed.data.icmp };
    } catch {
      // The peer itself did not answer in time: it cannot vouch either way.
      return { peerId: peer.peerId, api: 'unavailable', icmp: 'unavailable' };
    }
  }
}

/** The real ports: fetch for the API check, iputils ping through the `ping` package for ICMP. */
export function createRealProberPorts(): ProberPorts {
  return {
    async checkApi(address, timeoutMs) {
      try {
        const res = await fetch(`http://${address}/v1/info`, { signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel();
        return 'ok';
      } catch {
        return 'fail';
      }
    },
    async ping(host) {
      try {
        const result = await ping.promise.probe(host, { timeout: 1, min_reply: 1 });
        // The ping package reports 'unknown' loss when it could not parse ping's output: an error, not an answer.
        if ((result.packetLoss as unknown) === 'unknown') return 'unavailable';
        return result.alive ? 'ok' : 'fail';
      } catch {
        return 'unavailable';
      }
    },
  };
}
