/**
 * Starts the roles of one Guardyn process on a shared context: the auth and
 * messaging gRPC gateways and the projection workers. `guardyn up` runs all of
 * them; `guardyn serve <role>` one.
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { CommandHandler } from '../commands/handler.ts';
import { UserDirectory } from '../commands/user-directory.ts';
import { allProjections, ProjectionRunner, StoredProgress, type ProjectionProgress, type ViewName } from '../projections/index.ts';
import { UsersView } from '../projections/users/queries.ts';
import { SessionsView } from '../projections/sessions/queries.ts';
import { CachedSessionCheck } from '../projections/sessions/session-check.ts';
import { DataKeys } from '../runtime/data-keys.ts';
import { ConversationsView } from '../projections/conversations/queries.ts';
import { TimelineView } from '../projections/timeline/queries.ts';
import { PasswordHasher } from '../gateways/auth/passwords.ts';
import { newRefreshToken, TokenService } from '../gateways/auth/tokens.ts';
import { startGrpcServer } from '../gateways/grpc/server.ts';
import { authService, messagingService } from '../gateways/grpc/proto.ts';
import { authServiceImplementation } from '../gateways/grpc/auth.ts';
import { messagingServiceImplementation } from '../gateways/grpc/messaging.ts';
import { openContext } from './context.ts';
import { startAuditTasks } from '../audit/tasks.ts';

export const ROLES = ['auth', 'messaging', 'projections'] as const;
export type Role = (typeof ROLES)[number];

export interface RunningGuardyn {
  readonly ports: { auth?: number; messaging?: number };
  readonly natsUrl: string;
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

export async function startGuardyn(config: GuardynConfig, logger: Logger, roles: readonly Role[], options: { startLocalNats: boolean }): Promise<RunningGuardyn> {
  const ctx = await openContext(config, logger, options);
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((err: Error) => logger.error({ err: err.message }, 'stop failed'));
    await ctx.close();
  };
  try {
    const projections = allProjections(ctx.stores, ctx.log);
    const progress = {} as Record<ViewName, ProjectionProgress>;
    for (const [name, projection] of Object.entries(projections) as [ViewName, (typeof projections)[ViewName]][]) {
      if (roles.includes('projections')) {
        const runner = new ProjectionRunner(ctx.log, projection, logger.child({ view: name }), { afterProject: crashPoint(name) });
        await runner.start();
        stoppers.push(() => runner.stop());
        progress[name] = runner;
      } else {
        progress[name] = new StoredProgress(() => projection.target.checkpoint(name));
      }
    }

    // Signed checkpoints (with the projections role) and operational samples for the audit report.
    const audit = await startAuditTasks(config, ctx.log, roles.includes('projections') ? Object.entries(projections).map(([view, p]) => ({ view, stream: p.stream, applied: () => progress[view as ViewName].applied() })) : [], logger, roles.includes('projections'));
    stoppers.push(() => audit.stop());

    const ports: { auth?: number; messaging?: number } = {};
    const gatewayRoles = roles.filter((r): r is 'auth' | 'messaging' => r === 'auth' || r === 'messaging');
    if (gatewayRoles.length > 0) {
      const handler = new CommandHandler(ctx.log);
      const users = new UsersView(ctx.stores.kv);
      const directory = new UserDirectory(ctx.log, users);
      const tokens = await TokenService.create(config, logger);
      stoppers.push(async () => tokens.close());
      // One session check (and cache) for both gateways: a revocation seen by one is seen by the other.
      const sessions = new CachedSessionCheck(new SessionsView(ctx.stores.kv));
      const dataKeys = DataKeys.for(ctx.stores.kv);
      const health = async () => ({ nats: ctx.log.nc.isClosed() ? 'disconnected' : 'ok', views: 'ok' });
      const portFor = (role: 'auth' | 'messaging') => (gatewayRoles.length === 1 && config.portOverride !== undefined ? config.portOverride : config.ports[role]);
      if (gatewayRoles.includes('auth')) {
        const implementation = authServiceImplementation({
          handler, directory, tokens, health, logger, config, log: ctx.log, kv: ctx.stores.kv,
          passwords: new PasswordHasher(config.auth.argon2),
          refreshTokens: { newRefreshToken },
          refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
          sessions, dataKeys,
        });
        const server = await startGrpcServer({ host: config.host, port: portFor('auth'), services: [{ definition: authService, implementation }], logger });
        stoppers.push(() => server.stop());
        ports.auth = server.port;
        logger.info({ port: server.port }, 'auth service listening');
      }
      if (gatewayRoles.includes('messaging')) {
        const implementation = messagingServiceImplementation({
          handler, directory, tokens, health, logger, sessions, config, log: ctx.log, kv: ctx.stores.kv,
          progressOf: (view: string) => progress[view as ViewName],
          conversations: new ConversationsView(ctx.stores.kv),
          timeline: new TimelineView(ctx.stores.timeline),
          progress: [progress.timeline, progress.conversations],
          minSeqWaitMs: config.query.minSeqWaitMs,
          maxContentBytes: config.messaging.maxContentBytes,
        });
        const server = await startGrpcServer({ host: config.host, port: portFor('messaging'), services: [{ definition: messagingService, implementation }], logger });
        stoppers.push(() => server.stop());
        ports.messaging = server.port;
        logger.info({ port: server.port }, 'messaging service listening');
      }
    }
    return { ports, natsUrl: ctx.log.nc.getServer(), stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
