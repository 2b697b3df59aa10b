/**
 * The notifications role: the HTTP API on :8080 (push tokens, health), the
 * push projection (MESSAGES → push jobs for offline devices) and the push
 * worker (jobs → FCM / APNs). The router is returned so other parts can
 * mount handlers on the same server; its port opens only when `listen()` is
 * called, once every route is mounted (bin/app.ts does so after every other role).
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { ProcessContext } from './context.ts';
import type { CommandHandler } from '../commands/handler/handler.ts';
import type { AccessTokenVerifier, SessionCheck } from '../gateways/shared/auth-context.ts';
import type { ProjectionProgress } from '../projections/query/progress.ts';
import type { Readiness } from '../runtime/readiness.ts';
import { ProjectionRunner } from '../projections/runtime/runner.ts';
import { ConnectionTracker } from '../streams/connections.ts';
import { DataKeys } from '../stores/data-keys.ts';
import { HttpRouter, startHttpServer } from '../gateways/http/server.ts';
import { mountNotificationsApi } from '../gateways/http/notifications.ts';
import { pushProjection } from '../projections/push/projector.ts';
import { callPushProjection } from '../projections/push/calls-projector.ts';
import { PushWorker } from '../projections/push/worker.ts';
import { jetStreamPushQueue } from '../streams/push-queue.ts';
import { providersFromConfig } from '../projections/push/providers/providers.ts';
import { removeRejectedPushToken } from '../commands/device/push-tokens.ts';

export interface NotificationsRoleDeps {
  readonly config: GuardynConfig;
  readonly logger: Logger;
  readonly ctx: ProcessContext;
  readonly handler: CommandHandler;
  readonly tokens: AccessTokenVerifier;
  readonly sessions: SessionCheck;
  readonly groupsProgress: ProjectionProgress;
  readonly port: number;
  /** `GET /health` answers 503 with the state until the process serves. */
  readonly readiness: Readiness;
}

export interface RunningNotifications {
  /** Mount further routes here before listen(). */
  readonly router: HttpRouter;
  /** Opens the HTTP port (once); resolves with the port bound. */
  listen(): Promise<number>;
  stop(): Promise<void>;
}

export async function startNotificationsRole(deps: NotificationsRoleDeps): Promise<RunningNotifications> {
  const { config, logger, ctx, handler } = deps;
  const stoppers: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s();
  };
  try {
    const providers = providersFromConfig(config.notifications);
    stoppers.push(() => Object.values(providers).forEach((p) => p.close()));
    if (Object.keys(providers).length === 0)
      logger.warn('no push provider configured (GUARDYN_NOTIFICATIONS__FCM_* / _APNS_*): push jobs will be parked');

    const tracker = await ConnectionTracker.start(ctx.log.signals, {
      instanceTimeoutMs: config.notifications.instanceTimeoutMs,
    });
    stoppers.push(() => tracker.stop());
    const { pushTokens, users, groups } = ctx.views;
    const queue = jetStreamPushQueue(ctx.log);

    const projection = pushProjection({
      kv: ctx.stores.kv,
      tokens: pushTokens,
      online: tracker,
      groups,
      groupsProgress: deps.groupsProgress,
      sink: (jobs) => queue.enqueue(jobs),
      maxAgeMs: config.notifications.maxAgeSeconds * 1000,
    });
    const runner = new ProjectionRunner(ctx.log, projection, logger.child({ view: projection.name }));
    await runner.start();
    stoppers.push(() => runner.stop());
    // Ringing calls wake offline callee devices with a VoIP push (projections/push/calls-projector.ts).
    const callPushes = callPushProjection({
      kv: ctx.stores.kv,
      tokens: pushTokens,
      online: tracker,
      sink: (jobs) => queue.enqueue(jobs),
    });
    const callRunner = new ProjectionRunner(ctx.log, callPushes, logger.child({ view: callPushes.name }));
    await callRunner.start();
    stoppers.push(() => callRunner.stop());

    const worker = new PushWorker({
      queue,
      tokens: pushTokens,
      providers,
      removeToken: (device, tokenHash, correlationId) =>
        removeRejectedPushToken({ handler }, device, tokenHash, correlationId),
      senderName: async (userId) => (await users.byId(userId))?.username,
      logger: logger.child({ worker: 'push' }),
      retry: config.notifications.retry,
    });
    await worker.start();
    stoppers.push(() => worker.stop());

    const router = new HttpRouter();
    mountNotificationsApi(router, {
      handler,
      dataKeys: DataKeys.for(ctx.stores.kv),
      tokens: deps.tokens,
      sessions: deps.sessions,
      health: async () => ({ nats: ctx.log.closed ? 'disconnected' : 'ok' }),
      readiness: deps.readiness,
    });
    let listening: Promise<number> | undefined;
    const listen = () =>
      (listening ??= startHttpServer({
        host: config.host,
        port: deps.port,
        router,
        logger,
        name: 'notifications',
      }).then((server) => {
        stoppers.push(() => server.stop());
        return server.port;
      }));
    return { router, listen, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
