/**
 * Wire schemas of the storage role: a member of a storage group (seed 004) reports its content root's digest and its
 * disk usage; the console compares the members of a group and drills into directories that differ.
 */
import { z } from 'zod';

export const STORAGE_GROUP_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_TREE_ENTRIES = 10_000;

/** One path segment of the content tree as the wire may name it: never empty, `.`, `..`, or containing `/` or NUL. */
export const TreeEntryName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\0'), 'not a plain file or folder name');

/** A folder under the content root, relative, `/`-separated; '' is the root itself. */
export const TreeRelativePath = z
  .string()
  .max(4096)
  .refine(
    (p) => p === '' || (!p.startsWith('/') && !p.includes('\0') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..')),
    'a relative folder path without `.`, `..` or empty parts',
  );

export const StorageDiskUsage = z.object({
  sizeBytes: z.number().nonnegative(),
  usedBytes: z.number().nonnegative(),
  usedPct: z.number().min(0).max(100),
});
export type StorageDiskUsage = z.infer<typeof StorageDiskUsage>;

/** The storage role's part of a heartbeat. */
export const StorageStatus = z.object({
  group: z.string().regex(STORAGE_GROUP_PATTERN),
  contentRoot: z.string(),
  /**
   * Merkle digest of the content root: a file hashes its bytes; a folder hashes the sorted lines
   * `kind name sizeBytes digest` of its children. Equal on two members ⇔ the same tree with the same bytes.
   */
  rootDigest: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** When the digest was last computed, and how long that took (files are re-hashed only when size or mtime moved). */
  digestedAt: z.number().nullable(),
  digestMs: z.number().nonnegative().nullable(),
  disk: StorageDiskUsage.nullable(),
  /** The last error of the digest walk or the disk probe, if the last attempt failed. */
  error: z.string().max(1024).nullable(),
});
export type StorageStatus = z.infer<typeof StorageStatus>;

export const StorageTreeEntry = z.object({
  name: TreeEntryName,
  kind: z.enum(['file', 'dir']),
  sizeBytes: z.number().int().nonnegative(),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type StorageTreeEntry = z.infer<typeof StorageTreeEntry>;

/** GET /v1/storage/tree?path=P — one folder's children with their digests, from the last digest walk. */
export const StorageTree = z.object({
  path: TreeRelativePath,
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  entries: z.array(StorageTreeEntry).max(MAX_TREE_ENTRIES),
  /** True when the folder had more children than the answer carries. */
  truncated: z.boolean(),
});
export type StorageTree = z.infer<typeof StorageTree>;

/** The `storage` section of the agent config file. */
export const StorageAgentConfig = z.object({
  group: z.string().regex(STORAGE_GROUP_PATTERN, 'a group name: letters, digits, dot, dash, underscore'),
  /** Absolute path of the folder whose content the group's members hold in common. */
  contentRoot: z.string().startsWith('/'),
  digestIntervalMs: z.number().int().min(500).max(3_600_000).default(10_000),
});
export type StorageAgentConfig = z.infer<typeof StorageAgentConfig>;
