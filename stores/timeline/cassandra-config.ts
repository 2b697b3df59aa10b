/**
 * Chooses the timeline store from the configuration: the ScyllaDB (CQL) adapter when
 * GUARDYN_DATABASE__SCYLLADB_NODES is set, the embedded one otherwise (the default).
 */
import type { Logger } from 'pino';
import type { ScyllaDbConfig } from '../../runtime/config-scylladb.ts';
import type { KvStore } from '../kv/port.ts';
import { CassandraTimelineStore } from './cassandra.ts';
import type { TimelineStore } from './port.ts';

export interface Stores {
  readonly kv: KvStore;
  readonly timeline: TimelineStore;
  close(): Promise<void>;
}

export async function openConfiguredTimeline(
  embedded: Stores,
  scyllaDb: ScyllaDbConfig | undefined,
  logger: Logger,
): Promise<Stores> {
  if (scyllaDb === undefined) return embedded;
  let timeline: CassandraTimelineStore;
  try {
    timeline = await CassandraTimelineStore.open({
      contactPoints: scyllaDb.nodes,
      localDataCenter: scyllaDb.localDataCenter,
      keyspace: scyllaDb.keyspace,
      replication: scyllaDb.replication,
      readConsistency: scyllaDb.readConsistency,
      writeConsistency: scyllaDb.writeConsistency,
      bucketMs: scyllaDb.bucketMs,
      ...(scyllaDb.credentials === undefined ? {} : { credentials: scyllaDb.credentials }),
    });
  } catch (error) {
    await embedded.close();
    throw error;
  }
  logger.info(
    { nodes: scyllaDb.nodes, keyspace: scyllaDb.keyspace, localDataCenter: scyllaDb.localDataCenter },
    'timeline view on ScyllaDB',
  );
  return {
    kv: embedded.kv,
    timeline,
    async close() {
      await Promise.all([embedded.close(), timeline.close()]);
    },
  };
}
