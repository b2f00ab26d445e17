import type { Transport } from '../../../main/core/api';

export type ConnectionListener = (connected: boolean) => void;

/** The contract's Transport plus whether the event stream is up (a reconnect means: reload state). */
export interface UiTransport extends Transport {
  readonly kind: 'ipc' | 'http';
  onConnection(listener: ConnectionListener): () => void;
}
