/** What the auth service's RPCs (auth.ts, auth-sessions.ts, auth-keys.ts, auth-directory.ts) need. */
import type { Logger } from 'pino';
import type { AccountDeps } from '../../../commands/register.ts';
import type { UserDirectory } from '../../../commands/user-directory.ts';
import type { TokenService } from '../../auth/tokens.ts';
import type { SessionCheck } from '../../shared/auth-context.ts';
import type { HealthProbe } from '../health.ts';
import type { AuthLimits } from '../../limits/auth-limits.ts';
import type { GuardynConfig } from '../../../runtime/config.ts';
import type { EventLog } from '../../../streams/log.ts';
import type { KvStore } from '../../../stores/kv/port.ts';

export interface AuthServiceDeps extends AccountDeps {
  readonly directory: UserDirectory;
  readonly tokens: TokenService;
  readonly health: HealthProbe;
  readonly logger: Logger;
  readonly config: GuardynConfig;
  readonly log: EventLog;
  /** The key-value store the views live in (for the session, key and directory RPCs' queries). */
  readonly kv: KvStore;
  /** Pass to `authenticate`: refuses tokens of ended sessions. */
  readonly sessions: SessionCheck;
  /** Throttles (login failures, registrations, searches); default: built from config.limits. */
  readonly limits?: AuthLimits;
}
