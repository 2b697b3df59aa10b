/**
 * The shared wiring of one Guardyn process: the event log (connecting to NATS,
 * or starting a local nats-server for `guardyn up`), the streams, the embedded
 * stores and the views over them (built once, bin/wiring.ts).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { streamSpecs } from '../streams/specs.ts';
import { streamReplicas } from '../streams/replicas.ts';
import { openConfiguredStores } from '../stores/configured.ts';
import type { KvStore } from '../stores/kv/port.ts';
import type { TimelineStore } from '../stores/timeline/port.ts';
import { startNatsServer, type LocalNatsServer } from '../ops/nats/local-server.ts';
import { buildViews, type Views } from './wiring.ts';

export const DEFAULT_NATS_PORT = 4222;

export interface ProcessContext {
  readonly log: EventLog;
  readonly stores: { readonly kv: KvStore; readonly timeline: TimelineStore };
  /** Every query view over the stores, one instance each: the roles hand each service the views it reads. */
  readonly views: Views;
  readonly localNats: LocalNatsServer | undefined;
  close(): Promise<void>;
}

/**
 * The local nats-server of `guardyn up`: JetStream under dataDir/nats on GUARDYN_NATS__PORT
 * (4222) with the sync policy of GUARDYN_NATS__SYNC_INTERVAL (always), its log in
 * dataDir/nats-server.log.
 */
export async function startConfiguredNats(config: GuardynConfig, logger: Logger): Promise<LocalNatsServer> {
  const server = await startNatsServer({
    storeDir: path.join(config.dataDir, 'nats'),
    port: config.localNats.port,
    logFile: path.join(config.dataDir, 'nats-server.log'),
    syncInterval: config.localNats.syncInterval,
  });
  logger.info(
    { url: server.url, version: server.version, serverPid: server.pid, sync: server.sync },
    'local nats-server started',
  );
  if (config.localNats.syncInterval !== undefined && server.sync === 'server default') {
    logger.warn(
      { version: server.version },
      'this nats-server (before 2.10) has no sync_interval option: JetStream syncs on its built-in interval, and a power loss may take acknowledged writes of that window',
    );
  }
  return server;
}

export async function openContext(
  config: GuardynConfig,
  logger: Logger,
  options: { startLocalNats: boolean },
): Promise<ProcessContext> {
  let localNats: LocalNatsServer | undefined;
  let natsUrl = config.natsUrl;
  if (!natsUrl && options.startLocalNats) {
    localNats = await startConfiguredNats(config, logger);
    natsUrl = localNats.url;
  }
  natsUrl ??= `nats://127.0.0.1:${config.localNats.port || DEFAULT_NATS_PORT}`;
  try {
    const log = await EventLog.connect(natsUrl, eventRegistry, logger);
    logger.info(
      { url: natsUrl, server: log.capabilities.version, capabilities: log.capabilities },
      'connected to JetStream',
    );
    const replicas = streamReplicas(config.messaging.streamReplicas, log.clusterInfo);
    await log.ensureStreams(streamSpecs(replicas));
    logger.info({ replicas, setting: config.messaging.streamReplicas }, 'streams ensured');
    // GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: the key-value views in TiKV; GUARDYN_DATABASE__SCYLLADB_NODES: the timeline in ScyllaDB.
    const stores = await openConfiguredStores(config, logger);
    return {
      log,
      stores,
      views: buildViews(stores),
      localNats,
      async close() {
        await log.close();
        await stores.close();
        await localNats?.stop();
      },
    };
  } catch (err) {
    await localNats?.stop();
    throw err;
  }
}
