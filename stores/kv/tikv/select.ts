/**
 * Puts the TiKV key-value store in place of the embedded one when
 * GUARDYN_DATABASE__TIKV_PD_ENDPOINTS is set (runtime/config-tikv.ts).
 */
import type { Logger } from 'pino';
import type { TikvConfig } from '../../../runtime/config-tikv.ts';
import type { EmbeddedStores } from '../../embedded.ts';
import { TikvKvStore } from './adapter.ts';

export async function withTikvKv(stores: EmbeddedStores, tikv: TikvConfig | undefined, logger: Logger): Promise<EmbeddedStores> {
  if (tikv === undefined) return stores;
  let kv: TikvKvStore;
  try {
    kv = await TikvKvStore.connect({ pdEndpoints: tikv.pdEndpoints });
  } catch (error) {
    await stores.close();
    throw error;
  }
  logger.info({ pd: tikv.pdEndpoints, clusterId: kv.client.pd.clusterId }, 'key-value views in TiKV');
  return {
    kv,
    timeline: stores.timeline,
    async close() {
      await kv.close();
      await stores.close();
    },
  };
}
