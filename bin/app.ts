/**
 * Starts the roles of one Guardyn process on a shared context: the auth and
 * messaging gRPC gateways and the projection workers. `guardyn up` runs all of
 * them; `guardyn serve <role>` one.
 *
 * Ready means ready: each port opens only once its routes are mounted (the
 * notifications HTTP server, which also carries gRPC-Web and the web client,
 * opens last, after every role that mounts on it), and health says starting
 * (grpc.health.v1 NOT_SERVING, `GET /health` 503 `starting`, the contract's
 * Health DEGRADED with `process: starting`) until every role serves.
 */
import { StreamSlots } from '../gateways/limits/stream-slots.ts';
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { CommandHandler } from '../commands/handler/handler.ts';
import { KvSnapshotStore } from '../commands/handler/snapshots.ts';
import { key } from '../stores/kv/keys.ts';
import { UserDirectory } from '../commands/account/user-directory.ts';
import { allProjections, type ProjectionProgress, type ViewName } from '../projections/index.ts';
import { startProjectionWorkers, storedProgress } from './projection-workers.ts';
import { watchedSessionCheck } from './session-check.ts';
import { DataKeys } from '../stores/data-keys.ts';
import { PasswordHasher } from '../gateways/auth/passwords.ts';
import { AuthLimits } from '../gateways/limits/auth-limits.ts';
import { newRefreshToken, TokenService } from '../gateways/auth/tokens.ts';
import { startGrpcServer, type ServiceBinding } from '../gateways/grpc/server.ts';
import { authService, messagingService, presenceService } from '../gateways/grpc/proto.ts';
import { authServiceImplementation } from '../gateways/grpc/auth/auth.ts';
import { messagingServiceImplementation } from '../gateways/grpc/messaging/messaging.ts';
import { openContext } from './context.ts';
import { ConnectionAnnouncer, ConnectionTracker } from '../streams/connections.ts';
import { startMediaRole } from './media-role.ts';
import { startCallsRole } from './calls-role.ts';
import { startPresence, startPresenceFeed } from './presence.ts';
import { DeviceDelivery } from '../gateways/delivery/device-feed.ts';
import { LiveHub } from '../gateways/delivery/live-hub.ts';
import { GroupRosters } from '../gateways/delivery/group-rosters.ts';
import { commitSource } from '../streams/commit-follower.ts';
import { groupDecider } from '../commands/group/decider.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';
import { TypingSender } from '../gateways/delivery/typing-sender.ts';
import { startWebSocketGateway } from '../gateways/ws/server.ts';
import type { PresenceFeed } from '../gateways/presence-feed.ts';
import { startNotificationsRole, type RunningNotifications } from './notifications.ts';
import { startHttpServer } from '../gateways/http/server.ts';
import { metricsRouter } from '../gateways/http/metrics.ts';
import { metricsRegistry } from '../runtime/metrics.ts';
import { startAuditTasks } from '../audit/tasks.ts';
import { mountBrowserRoutes } from './web.ts';
import type { ProcessPorts } from './ports.ts';
import { clientMistakeLog } from '../gateways/shared/errors.ts';
import { Readiness } from '../runtime/readiness.ts';

export const ROLES = ['auth', 'messaging', 'presence', 'projections', 'media', 'notifications', 'calls'] as const;
export type Role = (typeof ROLES)[number];

export interface RunningGuardyn {
  readonly ports: ProcessPorts;
  readonly natsUrl: string;
  /** starting until every role serves; stopping from the first step of stop(). */
  readonly readiness: Readiness;
  stop(): Promise<void>;
}

/**
 * Crash tests set GUARDYN_TEST_CRASH=<view>:<n>: the process kills itself with
 * SIGKILL after projecting its n-th commit into an open, unwritten batch.
 */
function crashPoint(view: string): ((seq: number) => void) | undefined {
  const m = /^([a-z]+):(\d+)$/.exec(process.env['GUARDYN_TEST_CRASH'] ?? '');
  if (!m || m[1] !== view) return undefined;
  let left = Number(m[2]);
  return () => {
    if (--left <= 0) process.kill(process.pid, 'SIGKILL');
  };
}

export async function startGuardyn(
  config: GuardynConfig,
  logger: Logger,
  roles: readonly Role[],
  options: { startLocalNats: boolean; presence?: PresenceFeed },
): Promise<RunningGuardyn> {
  clientMistakeLog.configure({ perInterval: config.logClientMistakesPerMinute });
  const readiness = new Readiness();
  const ctx = await openContext(config, logger, options);
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    readiness.stop();
    for (const stop of stoppers.reverse())
      await stop().catch((err: Error) => logger.error({ err: err.message }, 'stop failed'));
    await ctx.close();
    clientMistakeLog.flushAll();
  };
  try {
    // Every process serves its metrics (GUARDYN_METRICS__PORT, default 9090; off: none).
    let metricsPort: number | undefined;
    if (config.metrics.port !== undefined) {
      const metrics = await startHttpServer({
        host: config.host,
        port: config.metrics.port,
        router: metricsRouter(metricsRegistry),
        logger,
        name: 'metrics',
      });
      stoppers.push(() => metrics.stop());
      metricsPort = metrics.port;
    }
    const projections = allProjections(ctx.stores, ctx.log);
    let progress: Record<ViewName, ProjectionProgress>;
    if (roles.includes('projections')) {
      // One worker, or one of several with leases on view partitions (bin/projection-workers.ts).
      const workers = await startProjectionWorkers(
        config,
        ctx.log,
        projections,
        logger,
        (view) => ({ afterProject: crashPoint(view) }),
        ctx.stores.kv,
      );
      stoppers.push(() => workers.stop());
      progress = workers.progress;
    } else {
      progress = storedProgress(projections, config.projections.partitions);
    }

    // Signed checkpoints (with the projections role) and operational samples for the audit report.
    const audit = await startAuditTasks(
      config,
      ctx.log,
      roles.includes('projections')
        ? Object.entries(projections).map(([view, p]) => ({
            view,
            stream: p.stream,
            applied: () => progress[view as ViewName].applied(),
          }))
        : [],
      logger,
      roles.includes('projections'),
    );
    stoppers.push(() => audit.stop());

    const ports: ProcessPorts = { metrics: metricsPort };
    // The services of this process's gRPC servers as served: gRPC-Web runs the same handlers in-process.
    const grpcServices: ServiceBinding[] = [];
    let notifications: RunningNotifications | undefined;
    // One count of open gRPC streams per user and device for every service of this process.
    const streamSlots = StreamSlots.configured(config.limits);
    const gatewayRoles = roles.filter(
      (r): r is 'auth' | 'messaging' | 'presence' => r === 'auth' || r === 'messaging' || r === 'presence',
    );
    if (gatewayRoles.length > 0 || roles.includes('notifications') || roles.includes('calls')) {
      // Long aggregates (groups) resume from snapshots kept beside the views.
      const handler = new CommandHandler(ctx.log, {
        snapshots: new KvSnapshotStore(ctx.stores.kv, (subject) => key('snapshot', subject)),
      });
      const { views } = ctx;
      const directory = new UserDirectory(ctx.log, views.users);
      const tokens = await TokenService.create(config, logger);
      stoppers.push(async () => tokens.close());
      // One session check (and cache) for both gateways: a revocation seen by one is seen by the other.
      const watched = await watchedSessionCheck(
        views.sessions,
        handler,
        ctx.log,
        config.auth.sessionCacheSeconds,
        logger,
        directory,
      );
      stoppers.push(() => watched.stop());
      const sessions = watched.check;
      const dataKeys = DataKeys.for(ctx.stores.kv);
      // One announcer per process: the devices connected to any gateway here (presence, pushes).
      const connections = new ConnectionAnnouncer(ctx.log.signals, { beatMs: config.presence.instanceBeatMs });
      stoppers.push(async () => connections.stop());
      const health = async () => ({
        nats: ctx.log.closed ? 'disconnected' : 'ok',
        views: 'ok',
        ...(readiness.serving ? {} : { process: readiness.state }),
      });
      // One presence feed for the gateways of this process that show presence (Subscribe, WebSocket frames).
      const wantsFeed =
        gatewayRoles.includes('presence') ||
        (gatewayRoles.includes('messaging') && config.websocket.enabled && options.presence === undefined);
      const hub = wantsFeed ? await startPresenceFeed(ctx, config, logger) : undefined;
      if (hub !== undefined) stoppers.push(() => hub.stop());
      const portFor = (role: 'auth' | 'messaging' | 'presence') =>
        gatewayRoles.length === 1 && config.portOverride !== undefined ? config.portOverride : config.ports[role];
      if (roles.includes('notifications')) {
        const alone = roles.length === 1 && config.portOverride !== undefined;
        const role = await startNotificationsRole({
          config,
          logger,
          ctx,
          handler,
          tokens,
          sessions,
          groupsProgress: progress.groups,
          port: alone ? config.portOverride! : config.notifications.port,
          readiness,
        });
        stoppers.push(() => role.stop());
        notifications = role;
      }
      if (gatewayRoles.includes('auth')) {
        const implementation = authServiceImplementation({
          handler,
          directory,
          tokens,
          health,
          logger,
          config,
          log: ctx.log,
          users: views.users,
          sessionsView: views.sessions,
          sessionsProgress: progress.sessions,
          limits: new AuthLimits(config.limits),
          passwords: new PasswordHasher(config.auth.argon2),
          refreshTokens: { newRefreshToken },
          refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
          sessions,
          dataKeys,
        });
        const server = await startGrpcServer({
          host: config.host,
          port: portFor('auth'),
          services: [{ definition: authService, implementation }],
          logger,
          readiness,
        });
        stoppers.push(() => server.stop());
        ports.auth = server.port;
        grpcServices.push(...server.services);
        logger.info({ port: server.port }, 'auth service listening');
      }
      if (gatewayRoles.includes('messaging')) {
        const { conversations, timeline } = views;
        const progressOf = (view: string) => progress[view as ViewName];
        // Live delivery from the commit: one MESSAGES follower for every device connected to this process;
        // group rosters from the group aggregate (what sends are authorized with), kept current by the stream.
        const rosters = new GroupRosters({
          load: async (groupId) => {
            const loaded = await handler.load(STREAMS.messages, subjects.group(groupId), groupDecider);
            return { members: loaded.state.members.keys(), seq: loaded.seq };
          },
          commitsFrom: (groupId, fromSeq) => ctx.log.readSubject(STREAMS.messages, subjects.group(groupId), fromSeq),
        });
        const live = new LiveHub(commitSource(ctx.log, STREAMS.messages), rosters, logger);
        await live.start();
        stoppers.push(() => live.stop());
        // One device delivery and one typing limit for both transports of this process (gRPC, WebSocket).
        const delivery = new DeviceDelivery({
          inbox: views.inbox,
          timeline,
          signals: ctx.log.signals,
          progressOf,
          logger,
          live,
        });
        const typing = new TypingSender({
          signals: ctx.log.signals,
          directory,
          limit: config.messaging.typingPerRecipient,
          maxKeys: config.limits.maxTrackedKeys,
        });
        const implementation = messagingServiceImplementation({
          handler,
          directory,
          tokens,
          health,
          logger,
          sessions,
          config,
          log: ctx.log,
          users: views.users,
          inbox: views.inbox,
          groups: views.groups,
          progressOf,
          conversations,
          timeline,
          progress: [progress.timeline, progress.conversations],
          minSeqWaitMs: config.query.minSeqWaitMs,
          maxContentBytes: config.messaging.maxContentBytes,
          connections,
          delivery,
          typing,
          streamSlots,
        });
        const server = await startGrpcServer({
          host: config.host,
          port: portFor('messaging'),
          services: [{ definition: messagingService, implementation }],
          logger,
          readiness,
        });
        stoppers.push(() => server.stop());
        ports.messaging = server.port;
        grpcServices.push(...server.services);
        logger.info({ port: server.port }, 'messaging service listening');
        if (config.websocket.enabled) {
          const ws = await startWebSocketGateway({
            config: config.websocket,
            host: config.host,
            signals: ctx.log.signals,
            maxContentBytes: config.messaging.maxContentBytes,
            tokens,
            sessions,
            delivery,
            typing,
            connections,
            logger,
            presence: options.presence ?? hub,
            messaging: { handler, directory, conversations },
            actions: {
              handler,
              log: ctx.log,
              conversations,
              get conversationsProgress() {
                return progress.conversations;
              },
              factsWaitMs: Math.max(1000, config.query.minSeqWaitMs),
            },
            groupActions: {
              handler,
              log: ctx.log,
              groups: views.groups,
              get groupsProgress() {
                return progress.groups;
              },
              factsWaitMs: Math.max(1000, config.query.minSeqWaitMs),
            },
          });
          stoppers.push(() => ws.stop());
          ports.websocket = ws.port;
          logger.info({ port: ws.port, path: '/ws' }, 'websocket gateway listening');
        }
      }
      if (roles.includes('calls')) {
        const calls = await startCallsRole({
          config,
          logger,
          ctx,
          handler,
          tokens,
          sessions,
          connections,
          health,
          streamSlots,
          progress: progress.calls,
          readiness,
          portOverride: roles.length === 1 ? config.portOverride : undefined,
        });
        stoppers.push(() => calls.stop());
        ports.calls = calls.port;
        if (calls.websocketPort !== undefined) ports.callsWebsocket = calls.websocketPort;
        grpcServices.push(...calls.services);
      }
      if (gatewayRoles.includes('presence')) {
        const tracker = await ConnectionTracker.start(ctx.log.signals, {
          instanceTimeoutMs: config.presence.instanceTimeoutMs,
        });
        stoppers.push(async () => tracker.stop());
        const presence = await startPresence({
          ctx,
          config,
          logger,
          handler,
          directory,
          tokens,
          sessions,
          connections,
          tracker,
          health,
          hub: hub!,
          streamSlots,
        });
        stoppers.push(() => presence.stop());
        const server = await startGrpcServer({
          host: config.host,
          port: portFor('presence'),
          services: [{ definition: presenceService, implementation: presence.implementation }],
          logger,
          readiness,
        });
        stoppers.push(() => server.stop());
        ports.presence = server.port;
        grpcServices.push(...server.services);
        logger.info({ port: server.port }, 'presence service listening');
      }
    }
    if (roles.includes('media')) {
      const media = await startMediaRole(
        config,
        logger,
        ctx,
        progress.media,
        roles.length === 1 ? config.portOverride : undefined,
        readiness,
        streamSlots,
      );
      stoppers.push(() => media.stop());
      ports.media = media.port;
      grpcServices.push(...media.services);
      if (media.httpPort !== undefined) ports.mediaHttp = media.httpPort;
    }
    if (notifications !== undefined) {
      // Browsers on the notifications HTTP server: gRPC-Web (the handlers of this process's gRPC servers), and the web client;
      // its port opens last, with every route mounted.
      stoppers.push(mountBrowserRoutes(notifications.router, config, { ports, grpcServices }, logger));
      ports.notifications = await notifications.listen();
      if (config.web.client) logger.info({ url: `http://localhost:${ports.notifications}/` }, 'web client served');
    }
    readiness.serve();
    logger.info({ roles, ports }, 'every role serves');
    return { ports, natsUrl: ctx.log.server(), readiness, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
