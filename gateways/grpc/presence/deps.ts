/** What the presence service's RPCs (presence.ts, presence-subscribe.ts) need, and the request they share. */
import * as t from 'io-ts';
import type { Logger } from 'pino';
import type { TokenService } from '../../auth/tokens.ts';
import type { UserDirectory } from '../../../commands/account/user-directory.ts';
import type { PresenceEngine } from '../../../commands/presence/engine.ts';
import type { PresenceVisibility } from '../../../projections/presence/visibility.ts';
import type { ConnectionAnnouncer } from '../../../streams/connections.ts';
import type { Signals } from '../../../streams/signals.ts';
import type { GuardynConfig } from '../../../runtime/config.ts';
import type { PresenceHub } from '../../presence-hub.ts';
import type { TypingBoard } from '../../typing-board.ts';
import type { SessionCheck } from '../../shared/auth-context.ts';
import type { HealthProbe } from '../health.ts';
import type { HeartbeatLeases } from './presence-leases.ts';
import type { LastSeenBoard } from '../../presence-last-seen.ts';
import type { StreamSlots } from '../../limits/stream-slots.ts';
import { BoundedArray, Uuid } from '../../shared/validation.ts';

/** Most users one GetBulkStatus or Subscribe may name. */
export const MAX_PRESENCE_IDS = 100;

export interface PresenceServiceDeps {
  readonly tokens: TokenService;
  readonly sessions: SessionCheck;
  readonly directory: UserDirectory;
  readonly engine: PresenceEngine;
  readonly hub: PresenceHub;
  readonly visibility: PresenceVisibility;
  readonly typing: TypingBoard;
  readonly leases: HeartbeatLeases;
  /** The newest last-seen times this process knows of (heartbeats here, activity of other gateways). */
  readonly lastSeen: LastSeenBoard;
  readonly connections: ConnectionAnnouncer;
  /** Core-NATS signals (typing), on the same connection as the connection announcer. */
  readonly signals: Signals;
  readonly config: GuardynConfig;
  readonly health: HealthProbe;
  readonly logger: Logger;
  /** Open-stream limits shared by the gRPC services of this process. */
  readonly streamSlots: StreamSlots;
}

export const UserIdsRequest = t.type({ user_ids: BoundedArray(Uuid, MAX_PRESENCE_IDS, 1) });
