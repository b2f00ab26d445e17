/**
 * The archives part of the renderer's engine state: replica sets and storage groups as the engine last sent them
 * (archive.overview at load, archive.changed after). Types come from the contract's own outputs.
 */
import type { QueryOutput, TallyEvent, Transport } from '../../../main/core/api';

export type ArchiveOverview = QueryOutput<'archive.overview'>;
export type ReplicaSet = ArchiveOverview['replicaSets'][number];
export type ArchiveMember = ReplicaSet['members'][number];
export type ResyncJobView = ReplicaSet['jobs'][number];
export type StorageGroup = ArchiveOverview['storageGroups'][number];

export class ArchiveSlice {
  private overview: ArchiveOverview | null = null;

  async load(transport: Transport): Promise<void> {
    this.overview = await transport.query('archive.overview', {});
  }

  apply(event: TallyEvent): boolean {
    if (event.type !== 'archive.changed') return false;
    this.overview = event.payload;
    return true;
  }

  snapshot(): ArchiveOverview | null {
    return this.overview;
  }
}
