/** Every media server the origin role can read, registered once. A kind missing here does not compile. */
import type { OriginServerKind } from '../../protocol';
import type { OriginAdapter } from './adapter';
import { flussonicAdapter } from './flussonic-adapter';
import { mediamtxAdapter } from './mediamtx-adapter';
import { nginxRtmpAdapter } from './nginx-rtmp-adapter';
import { srsAdapter } from './srs-adapter';

export const originAdapters: Record<OriginServerKind, OriginAdapter> = {
  'nginx-rtmp': nginxRtmpAdapter,
  srs: srsAdapter,
  mediamtx: mediamtxAdapter,
  flussonic: flussonicAdapter,
};
