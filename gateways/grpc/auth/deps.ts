/** What the auth service's RPCs (auth.ts, auth-sessions.ts, auth-keys.ts, auth-directory.ts) need. */
import type { Logger } from 'pino';
import type { AccountDeps } from '../../../commands/account/register.ts';
import type { UserDirectory } from '../../../commands/account/user-directory.ts';
import type { TokenService } from '../../auth/tokens.ts';
import type { SessionCheck } from '../../shared/auth-context.ts';
import type { HealthProbe } from '../health.ts';
import type { AuthLimits } from '../../limits/auth-limits.ts';
import type { GuardynConfig } from '../../../runtime/config.ts';
import type { EventLog } from '../../../streams/log.ts';
import type { ProjectionProgress } from '../../../projections/query/progress.ts';
import type { SessionsView } from '../../../projections/sessions/queries.ts';
import type { UsersView } from '../../../projections/users/queries.ts';

export interface AuthServiceDeps extends AccountDeps {
  readonly directory: UserDirectory;
  readonly tokens: TokenService;
  readonly health: HealthProbe;
  readonly logger: Logger;
  readonly config: GuardynConfig;
  readonly log: EventLog;
  /** The users view (SearchUsers, GetUserProfile). */
  readonly users: UsersView;
  /** The sessions view (RefreshToken finds a session by its refresh token's hash) and how far it has come. */
  readonly sessionsView: SessionsView;
  readonly sessionsProgress: ProjectionProgress;
  /** Pass to `authenticate`: refuses tokens of ended sessions. */
  readonly sessions: SessionCheck;
  /** Throttles (login failures, registrations, searches), built from config.limits by the wiring. */
  readonly limits: AuthLimits;
}
