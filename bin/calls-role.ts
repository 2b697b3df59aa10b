/**
 * The calls role: CallService on GUARDYN_CALLS__GRPC_PORT (50055) and the call
 * WebSocket on GUARDYN_CALLS__WEBSOCKET_PORT (8082), over the call use cases,
 * the CALLS stream and the call history view (docs/CALLS.md). The TURN secret
 * is GUARDYN_CALLS__TURN_SECRET or the file dataDir/keys/turn-secret (made on
 * first start; ops/ hands the same file to coturn as its static-auth-secret).
 */
import { loadTurnSecret } from '../runtime/turn-secret.ts';
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { ProcessContext } from './context.ts';
import type { ProjectionProgress } from '../projections/query/progress.ts';
import type { Readiness } from '../runtime/readiness.ts';
import type { CommandHandler } from '../commands/handler/handler.ts';
import { CallService } from '../commands/call/actions.ts';
import { CallRelay } from '../streams/call-signals.ts';
import { ConnectionTracker, type ConnectionAnnouncer } from '../streams/connections.ts';
import type { TokenService } from '../gateways/auth/tokens.ts';
import type { SessionCheck } from '../gateways/shared/auth-context.ts';
import type { HealthProbe } from '../gateways/grpc/health.ts';
import type { StreamSlots } from '../gateways/limits/stream-slots.ts';
import { startGrpcServer, type ServiceBinding } from '../gateways/grpc/server.ts';
import { callService } from '../gateways/grpc/proto.ts';
import { callServiceImplementation } from '../gateways/grpc/call/call.ts';
import { CallActions } from '../gateways/calls/actions.ts';
import { startCallWebSocket } from '../gateways/calls/ws.ts';
import { presenceVisibility } from './presence.ts';
import { PeriodicTask } from '../runtime/periodic-task.ts';

export interface CallsRoleDeps {
  readonly config: GuardynConfig;
  readonly logger: Logger;
  readonly ctx: ProcessContext;
  readonly handler: CommandHandler;
  readonly tokens: TokenService;
  readonly sessions: SessionCheck;
  readonly connections: ConnectionAnnouncer;
  readonly health: HealthProbe;
  readonly streamSlots: StreamSlots;
  /** The call history view's progress (GetCallHistory min_seq). */
  readonly progress: ProjectionProgress;
  readonly readiness?: Readiness;
  readonly portOverride?: number;
}

export interface RunningCalls {
  readonly port: number;
  readonly websocketPort: number | undefined;
  readonly services: readonly ServiceBinding[];
  stop(): Promise<void>;
}

/** How often calls whose starter died while they rang are looked for (their misses recorded). */
const SWEEP_MS = 5000;

export async function startCallsRole(deps: CallsRoleDeps): Promise<RunningCalls> {
  const { config, logger, ctx } = deps;
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse())
      await s().catch((err: Error) => logger.error({ err: err.message }, 'calls stop failed'));
  };
  try {
    const relay = new CallRelay(ctx.log.signals);
    const tracker = await ConnectionTracker.start(ctx.log.signals, {
      instanceTimeoutMs: config.presence.instanceTimeoutMs,
    });
    stoppers.push(async () => tracker.stop());
    const calls = new CallService({
      handler: deps.handler,
      visibility: presenceVisibility(ctx, config),
      notices: relay,
      limits: { ringTimeoutMs: config.calls.ringTimeoutMs },
      isOnline: (userId) => tracker.isOnline(userId),
      logger: logger.child({ component: 'calls' }),
    });
    stoppers.push(async () => calls.stop());
    const view = ctx.views.calls;
    const sweep = new PeriodicTask(
      async () => {
        await calls.sweepOverdue(await view.ringing(1000));
      },
      {
        name: 'sweep of overdue calls',
        intervalMs: SWEEP_MS,
        logger,
      },
    );
    sweep.start();
    stoppers.push(() => sweep.stop());
    const actions = new CallActions({
      calls,
      view,
      progress: deps.progress,
      config: config.calls,
      turnSecret: loadTurnSecret(config.calls.turn.secret, config.dataDir),
      maxTrackedKeys: config.limits.maxTrackedKeys,
      minSeqWaitMs: config.query.minSeqWaitMs,
      logger,
    });
    const implementation = callServiceImplementation({
      tokens: deps.tokens,
      sessions: deps.sessions,
      actions,
      relay,
      connections: deps.connections,
      streamSlots: deps.streamSlots,
      health: deps.health,
      logger,
    });
    const server = await startGrpcServer({
      host: config.host,
      port: deps.portOverride ?? config.calls.port,
      services: [{ definition: callService, implementation }],
      logger,
      readiness: deps.readiness,
    });
    stoppers.push(() => server.stop());
    logger.info({ port: server.port }, 'call service listening');
    let websocketPort: number | undefined;
    if (config.calls.websocketEnabled) {
      const ws = await startCallWebSocket({
        config: { ...config.websocket, port: config.calls.websocketPort },
        host: config.host,
        tokens: deps.tokens,
        sessions: deps.sessions,
        connections: deps.connections,
        actions,
        relay,
        logger,
      });
      stoppers.push(() => ws.stop());
      websocketPort = ws.port;
      logger.info({ port: ws.port, path: '/ws' }, 'call websocket listening');
    }
    return { port: server.port, websocketPort, services: server.services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
