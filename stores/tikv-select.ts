/**
 * Puts the TiKV key-value store in place of the embedded one when
 * GUARDYN_DATABASE__TIKV_PD_ENDPOINTS is set (runtime/config-tikv.ts).
 */
import type { Logger } from 'pino';
import type { TikvConfig } from '../runtime/config-tikv.ts';
import type { EmbeddedStores } from './embedded.ts';
import { TikvKvStore } from './kv/tikv/adapter.ts';
import { PrefixedKvStore } from './kv/prefixed.ts';
import type { KvStore } from './kv/port.ts';

export async function withTikvKv(
  stores: EmbeddedStores,
  tikv: TikvConfig | undefined,
  logger: Logger,
): Promise<EmbeddedStores> {
  if (tikv === undefined) return stores;
  let kv: TikvKvStore;
  try {
    kv = await TikvKvStore.connect({ pdEndpoints: tikv.pdEndpoints });
  } catch (error) {
    await stores.close();
    throw error;
  }
  logger.info(
    { pd: tikv.pdEndpoints, clusterId: kv.client.pd.clusterId, keyPrefix: tikv.keyPrefix },
    'key-value views in TiKV',
  );
  const views: KvStore =
    tikv.keyPrefix === undefined ? kv : new PrefixedKvStore(kv, new TextEncoder().encode(tikv.keyPrefix));
  return {
    kv: views,
    timeline: stores.timeline,
    async close() {
      await kv.close();
      await stores.close();
    },
  };
}
