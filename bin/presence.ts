/**
 * The presence role of a process: the presence engine (status follows
 * connections), the presence feed (PRESENCE stream → watches), the typing
 * board, heartbeat leases, and the PresenceService implementation over them.
 */
import type { Logger } from 'pino';
import type * as grpc from '@grpc/grpc-js';
import type { GuardynConfig } from '../runtime/config.ts';
import type { CommandHandler } from '../commands/handler/handler.ts';
import type { UserDirectory } from '../commands/account/user-directory.ts';
import { PresenceEngine } from '../commands/presence/engine.ts';
import type { TokenService } from '../gateways/auth/tokens.ts';
import type { SessionCheck } from '../gateways/shared/auth-context.ts';
import type { HealthProbe } from '../gateways/grpc/health.ts';
import type { StreamSlots } from '../gateways/limits/stream-slots.ts';
import { presenceServiceImplementation } from '../gateways/grpc/presence/presence.ts';
import { HeartbeatLeases } from '../gateways/grpc/presence/presence-leases.ts';
import { PresenceHub } from '../gateways/presence-hub.ts';
import { LastSeenBoard } from '../gateways/presence-last-seen.ts';
import { TypingBoard } from '../gateways/typing-board.ts';
import { PresenceVisibility } from '../projections/presence/visibility.ts';
import type { ConnectionAnnouncer, ConnectionTracker } from '../streams/connections.ts';
import type { ProcessContext } from './context.ts';
import { commitSource } from '../streams/commit-follower.ts';
import { PRESENCE_SUBJECTS, STREAMS } from '../streams/subjects.ts';

export interface PresenceRoleDeps {
  readonly ctx: ProcessContext;
  readonly config: GuardynConfig;
  readonly logger: Logger;
  readonly handler: CommandHandler;
  readonly directory: UserDirectory;
  readonly tokens: TokenService;
  readonly sessions: SessionCheck;
  readonly connections: ConnectionAnnouncer;
  readonly tracker: ConnectionTracker;
  readonly health: HealthProbe;
  /** The process's presence feed (startPresenceFeed), shared with the WebSocket gateway. */
  readonly hub: PresenceHub;
  /** The process's open-stream limits, shared by its gRPC services. */
  readonly streamSlots: StreamSlots;
}

/**
 * The presence feed of one process: an ordered consumer on the PRESENCE
 * stream fanned out to the watches of every gateway here (Subscribe, the
 * WebSocket gateway's `presence` frames). Any process with such a gateway
 * runs one; it needs no presence role.
 */
export function startPresenceFeed(ctx: ProcessContext, config: GuardynConfig, logger: Logger): Promise<PresenceHub> {
  return PresenceHub.start(
    commitSource(ctx.log, STREAMS.presence, PRESENCE_SUBJECTS),
    ctx.views.presence,
    presenceVisibility(ctx, config),
    logger.child({ component: 'presence-feed' }),
  );
}

/** Who sees whose presence, by GUARDYN_PRESENCE__VISIBILITY. */
export function presenceVisibility(ctx: ProcessContext, config: GuardynConfig): PresenceVisibility {
  return new PresenceVisibility(ctx.views.conversations, ctx.views.groups, {
    policy: config.presence.visibility,
    users: ctx.views.users,
  });
}

export interface PresenceRole {
  readonly implementation: grpc.UntypedServiceImplementation;
  /** The feed for other gateways of this process (the WebSocket gateway's `presence` frames). */
  readonly feed: PresenceHub;
  stop(): Promise<void>;
}

export async function startPresence(deps: PresenceRoleDeps): Promise<PresenceRole> {
  const { ctx, config, logger } = deps;
  const view = ctx.views.presence;
  const visibility = presenceVisibility(ctx, config);
  const { hub } = deps;
  const engine = new PresenceEngine(deps.handler, deps.tracker, view, {
    awayAfterMs: config.presence.awayAfterMs,
    lastSeenEveryMs: config.presence.lastSeenEveryMs,
    logger: logger.child({ component: 'presence-engine' }),
    // Read-your-writes in this process: the feed has a commit before JetStream delivers it back.
    onCommitted: (userId, state, seq) =>
      hub.offer({
        userId,
        live: state.live,
        chosen: state.chosen,
        customStatusText: state.customStatusText,
        lastSeen: state.lastSeen,
        updatedAt: state.updatedAt,
        seq,
      }),
  });
  const typing = new TypingBoard(ctx.log.signals);
  const leases = new HeartbeatLeases(deps.connections, config.presence.heartbeatTimeoutMs);
  // Last-seen of this process's heartbeats at once, and of other gateways' activity as they announce it.
  const lastSeen = new LastSeenBoard(config.limits.maxTrackedKeys);
  const stopHearing = deps.tracker.onActivity((a) => lastSeen.saw(a.userId, a.at));
  engine.start();
  const implementation = presenceServiceImplementation({
    tokens: deps.tokens,
    sessions: deps.sessions,
    directory: deps.directory,
    engine,
    hub,
    visibility,
    typing,
    leases,
    lastSeen,
    connections: deps.connections,
    signals: ctx.log.signals,
    config,
    health: deps.health,
    logger,
    streamSlots: deps.streamSlots,
  });
  return {
    implementation,
    feed: hub,
    async stop() {
      stopHearing();
      leases.stop();
      typing.stop();
      await engine.stop();
    },
  };
}
