import type { AgentConfig, RoleName } from '../protocol';
import type { Role, RoleContext } from './role';
import { createOriginRole } from './origin/origin-role';
import { createArchiveRole } from './archive/archive-role';
import { createStorageRole } from './storage/storage-role';
import { createSystemRole } from './system/system-role';
import { createTranscoderRoleFromAgentConfig } from './transcoder/transcoder-role';

type RoleFactory = (ctx: RoleContext, config: AgentConfig) => Role;

/** Every role an agent can run, registered once. A role named in a config but absent here is a config error. */
export const roleFactories: Partial<Record<RoleName, RoleFactory>> = {
  system: (ctx, config) => createSystemRole(ctx, config.systemSampleMs),
  transcoder: createTranscoderRoleFromAgentConfig,
  archive: (ctx, config) => createArchiveRole(ctx, config.archive),
  storage: (ctx, config) => createStorageRole(ctx, config.storage),
  origin: (ctx, config) => createOriginRole(ctx, config.origin),
};
