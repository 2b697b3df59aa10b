/**
 * The media role: MediaService on :50054 over the blob store (S3 when
 * GUARDYN_MEDIA__S3_ENDPOINT is set, else the embedded files store under
 * dataDir/blobs with its HTTP listener for presigned URLs on
 * GUARDYN_MEDIA__HTTP_PORT), and the cleanup of stale uploads.
 */
import { StreamSlots } from '../gateways/limits/stream-slots.ts';
import path from 'node:path';
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { ProcessContext } from './context.ts';
import type { ProjectionProgress } from '../projections/query/progress.ts';
import type { Readiness } from '../runtime/readiness.ts';
import { CommandHandler } from '../commands/handler/handler.ts';
import { startMediaCleanup } from '../commands/media/cleanup.ts';
import { mediaBlobGate } from '../commands/media/blob-gate.ts';
import { ThumbnailWorkers } from '../commands/media/thumbnails/workers.ts';
import { sessionCheck } from './session-check.ts';
import { TokenService } from '../gateways/auth/tokens.ts';
import { startGrpcServer, type ServiceBinding } from '../gateways/grpc/server.ts';
import { mediaService } from '../gateways/grpc/proto.ts';
import { MAX_UPLOAD_CHUNK, mediaServiceImplementation } from '../gateways/grpc/media/media.ts';
import type { BlobStore } from '../stores/blob/port.ts';
import { FileBlobStore } from '../stores/blob/files.ts';
import { S3BlobStore } from '../stores/blob/s3.ts';
import { startBlobHttpServer } from '../stores/blob/http-handler.ts';

export interface RunningMedia {
  readonly port: number;
  /** The embedded store's HTTP port (undefined with S3). */
  readonly httpPort: number | undefined;
  /** MediaService as served (gRPC-Web dispatches to it in-process). */
  readonly services: readonly ServiceBinding[];
  stop(): Promise<void>;
}

export async function startMediaRole(
  config: GuardynConfig,
  logger: Logger,
  ctx: ProcessContext,
  progress: ProjectionProgress,
  portOverride: number | undefined,
  readiness?: Readiness,
  streamSlots: StreamSlots = StreamSlots.configured(config.limits),
): Promise<RunningMedia> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse())
      await s().catch((err: Error) => logger.error({ err: err.message }, 'media stop failed'));
  };
  try {
    const m = config.media;
    const handler = new CommandHandler(ctx.log);
    let blobs: BlobStore;
    let httpPort: number | undefined;
    if (m.s3 !== undefined) {
      blobs = await S3BlobStore.open(m.s3);
      logger.info({ endpoint: m.s3.endpoint, bucket: m.s3.bucket }, 'media on S3');
    } else {
      const root = path.join(config.dataDir, 'blobs');
      const signingKey = await FileBlobStore.signingKeyAt(path.join(config.dataDir, 'keys', 'blob-url.key'));
      // The listener binds first, so a port 0 (tests) is known before URLs name it.
      const served = await FileBlobStore.open({ root, signingKey, publicUrl: '' });
      const http = await startBlobHttpServer({
        host: config.host,
        port: m.httpPort,
        store: served,
        logger,
        gate: mediaBlobGate({ handler }),
      });
      stoppers.push(() => http.stop());
      httpPort = http.port;
      blobs = await FileBlobStore.open({ root, signingKey, publicUrl: m.publicUrl ?? `http://127.0.0.1:${http.port}` });
      logger.info({ port: http.port }, 'embedded media store serving presigned URLs');
    }
    stoppers.push(() => blobs.close());
    const tokens = await TokenService.create(config, logger);
    stoppers.push(async () => tokens.close());
    const { media: view, conversations } = ctx.views;
    const thumbnails = new ThumbnailWorkers({
      maxWorkers: m.thumbnailWorkers,
      memoryMb: m.thumbnailWorkerMemoryMb,
      timeoutMs: m.thumbnailTimeoutMs,
    });
    stoppers.push(() => thumbnails.close());
    const deps = {
      thumbnails,
      thumbnailMaxPixels: m.thumbnailMaxPixels,
      handler,
      blobs,
      view,
      progress,
      logger,
      tokens,
      streamSlots,
      sessions: sessionCheck(ctx.views.sessions, handler),
      attachmentOf: (mediaId: string) => view.attachment(mediaId),
      conversationParticipants: async (conversationId: string) =>
        (await conversations.conversation(conversationId))?.participants,
      limits: {
        maxSizeBytes: m.maxSizeBytes,
        quotaBytes: m.quotaBytes,
        quotaCount: m.quotaCount,
        uploadUrlExpirySeconds: m.uploadUrlExpirySeconds,
        downloadUrlExpirySeconds: m.downloadUrlExpirySeconds,
      },
    };
    const server = await startGrpcServer({
      host: config.host,
      port: portOverride ?? m.port,
      logger,
      services: [{ definition: mediaService, implementation: mediaServiceImplementation(deps) }],
      maxReceiveMessageLength: MAX_UPLOAD_CHUNK + 64 * 1024,
      readiness,
    });
    stoppers.push(() => server.stop());
    const cleanup = startMediaCleanup(
      deps,
      { pendingTtlMs: m.pendingTtlSeconds * 1000, unattachedTtlMs: m.unattachedTtlSeconds * 1000 },
      m.cleanupIntervalSeconds * 1000,
    );
    stoppers.push(() => cleanup.stop());
    logger.info({ port: server.port }, 'media service listening');
    return { port: server.port, httpPort, services: server.services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
