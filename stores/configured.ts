/**
 * The stores a Guardyn process is configured with: the embedded LMDB stores under
 * <data>/views, with the key-value views in TiKV when GUARDYN_DATABASE__TIKV_PD_ENDPOINTS
 * is set and the timeline in ScyllaDB when GUARDYN_DATABASE__SCYLLADB_NODES is set.
 * Every process (the roles, rebuild, audit) and the tests that inspect a running
 * Guardyn's views open them here, so they all read the same stores.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { openEmbeddedStores } from './embedded.ts';
import { withTikvKv } from './tikv-select.ts';
import { openConfiguredTimeline, type Stores } from './timeline/cassandra-config.ts';

export type { Stores };

export async function openConfiguredStores(
  config: Pick<GuardynConfig, 'dataDir' | 'tikv' | 'scyllaDb'>,
  logger: Logger,
): Promise<Stores> {
  const embedded = await openEmbeddedStores(path.join(config.dataDir, 'views'));
  return openConfiguredTimeline(await withTikvKv(embedded, config.tikv, logger), config.scyllaDb, logger);
}
