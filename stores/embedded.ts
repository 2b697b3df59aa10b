/**
 * The embedded stores: the key-value and timeline ports on one LMDB
 * environment in a directory, with named databases for key-value entries,
 * timeline rows and timeline checkpoints. LMDB's locking makes the directory
 * safe to share between processes.
 */
import fs from 'node:fs/promises';
import { open } from 'lmdb';
import { LmdbKvStore, type BinaryDatabase } from './kv/lmdb.ts';
import type { KvStore } from './kv/port.ts';
import { LmdbTimelineStore } from './timeline/lmdb.ts';
import type { TimelineStore } from './timeline/port.ts';

export { LmdbKvStore } from './kv/lmdb.ts';
export { LmdbTimelineStore } from './timeline/lmdb.ts';

export interface EmbeddedStores {
  readonly kv: KvStore;
  readonly timeline: TimelineStore;
  /** Closes both stores and the environment. */
  close(): Promise<void>;
}

/** Names of the LMDB databases inside the environment. */
export const EMBEDDED_DATABASES = {
  kv: 'kv',
  timelineRows: 'timeline-rows',
  timelineCheckpoints: 'timeline-checkpoints',
  timelineBuckets: 'timeline-buckets',
} as const;

const BINARY = { keyEncoding: 'binary', encoding: 'binary' } as const;

/** The LMDB environment of each embedded store (the key-value and timeline stores of one directory share one). */
const environments = new WeakMap<object, object>();

/**
 * What a store writes to: the LMDB environment for the embedded stores (both of one directory
 * answer the same environment: their writes share LMDB's one writer), the store itself for any
 * other adapter. Views whose stores answer the same share one reader (bin/projection-workers.ts).
 */
export function storageOf(store: object): object {
  return environments.get(store) ?? store;
}

export async function openEmbeddedStores(dir: string): Promise<EmbeddedStores> {
  if (typeof dir !== 'string' || dir.length === 0)
    throw new RangeError('the embedded store directory must be a non-empty path');
  await fs.mkdir(dir, { recursive: true });
  // noSubdir: false keeps `dir` a directory even when its name has a dot in it.
  const root = open({ path: dir, noSubdir: false, maxDbs: 8 });
  const database = (name: string): BinaryDatabase => root.openDB<Uint8Array, Uint8Array>(name, BINARY);
  let databases: { kv: BinaryDatabase; rows: BinaryDatabase; checkpoints: BinaryDatabase; buckets: BinaryDatabase };
  try {
    databases = {
      kv: database(EMBEDDED_DATABASES.kv),
      rows: database(EMBEDDED_DATABASES.timelineRows),
      checkpoints: database(EMBEDDED_DATABASES.timelineCheckpoints),
      buckets: database(EMBEDDED_DATABASES.timelineBuckets),
    };
  } catch (err) {
    await root.close();
    throw err;
  }

  // The environment closes when the last of the two stores does.
  let openStores = 2;
  const release = async (): Promise<void> => {
    openStores -= 1;
    if (openStores === 0) await root.close();
  };
  const kv = new LmdbKvStore(databases.kv, release);
  const timeline = new LmdbTimelineStore(databases.rows, databases.checkpoints, databases.buckets, release);
  environments.set(kv, root);
  environments.set(timeline, root);
  return {
    kv,
    timeline,
    async close() {
      await Promise.all([kv.close(), timeline.close()]);
    },
  };
}
