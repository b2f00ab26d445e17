/**
 * The storage role: a member of a storage group (seed 004). It digests its content root on a timer and reports the
 * digest with its disk usage on every heartbeat; the console compares the group's members and drills into folders.
 */
import type { AgentEvent, StorageAgentConfig, StorageStatus, StorageTree } from '../../protocol';
import { TreeRelativePath, describeZodError, MAX_TREE_ENTRIES } from '../../protocol';
import { diskUsageOf } from '../common/disk-usage';
import type { Role, RoleContext } from '../role';
import { type ContentDigest, ContentDigester } from './content-digest';

export function createStorageRole(ctx: RoleContext, config: StorageAgentConfig | undefined): Role {
  if (!config) throw new Error('the storage role needs a "storage" section in the agent config');
  const cfg = config;
  const digester = new ContentDigester(cfg.contentRoot);
  let last: ContentDigest | undefined;
  let status: StorageStatus = {
    group: cfg.group,
    contentRoot: cfg.contentRoot,
    rootDigest: null,
    files: 0,
    bytes: 0,
    digestedAt: null,
    digestMs: null,
    disk: null,
    error: null,
  };
  let events: AgentEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function refresh(): Promise<void> {
    if (running) return;
    running = true;
    const started = Date.now();
    try {
      const disk = await diskUsageOf(cfg.contentRoot);
      const digest = await digester.digest();
      const changed = last !== undefined && last.rootDigest !== digest.rootDigest;
      last = digest;
      status = { ...status, rootDigest: digest.rootDigest, files: digest.files, bytes: digest.bytes, digestedAt: Date.now(), digestMs: Date.now() - started, disk, error: null };
      if (changed) events.push({ at: Date.now(), kind: 'storage.content-changed', message: `content root digest is now ${digest.rootDigest.slice(0, 12)}…` });
      if (changed) ctx.nudge();
    } catch (err) {
      const message = (err as Error).message;
      if (message !== status.error) {
        ctx.log('warn', 'storage digest failed', { error: message });
        events.push({ at: Date.now(), kind: 'storage.digest-failed', message: message.slice(0, 4096) });
      }
      status = { ...status, error: message.slice(0, 1024) };
    } finally {
      running = false;
    }
    events = events.slice(-256);
  }

  return {
    name: 'storage',
    routes: [
      {
        method: 'GET',
        path: '/v1/storage/tree',
        async handle({ req }) {
          const raw = new URL(req.url ?? '/', 'http://agent').searchParams.get('path') ?? '';
          const parsed = TreeRelativePath.safeParse(raw);
          if (!parsed.success) return { status: 400, body: { error: describeZodError(parsed.error) } };
          if (!last) return { status: 503, body: { error: 'the content root has not been digested yet' } };
          const node = last.dirs.get(parsed.data);
          if (!node) return { status: 404, body: { error: `no folder ${JSON.stringify(parsed.data)} in the last digest` } };
          const body: StorageTree = {
            path: parsed.data,
            digest: node.digest,
            entries: node.entries.slice(0, MAX_TREE_ENTRIES),
            truncated: node.entries.length > MAX_TREE_ENTRIES,
          };
          return { status: 200, body };
        },
      },
    ],
    async start() {
      await refresh();
      timer = setInterval(() => void refresh(), cfg.digestIntervalMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
    status() {
      return { storage: status };
    },
    drainEvents() {
      const out = events;
      events = [];
      return out;
    },
  };
}
