/**
 * The stores a test Guardyn on a data directory uses, opened by the test itself to inspect
 * its views: the embedded LMDB stores in `npm test`; in `npm run test:production` the
 * key-value views in TiKV under the directory's key prefix and the timeline in Cassandra in
 * the directory's keyspace (test/support/guardyn.ts names them). The same selection code as
 * a Guardyn process (stores/configured.ts), so a test reads exactly what the Guardyn wrote.
 */
import { loadConfig } from '../../runtime/config.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { openConfiguredStores, type Stores } from '../../stores/configured.ts';
import { storesEnv, TEST_ENV } from './guardyn.ts';

export type { Stores };

export async function openTestStores(dataDir: string): Promise<Stores> {
  return openConfiguredStores(loadConfig({ ...TEST_ENV, ...(await storesEnv(dataDir)) }), silentLogger);
}
