/**
 * The session check of a process's gateways: the sessions view first, and for
 * a session the view has not seen, its user's subject on the ACCOUNTS stream
 * (fail closed: a session found nowhere is refused).
 *
 * `watchedSessionCheck` also follows the session endings on the log
 * (projections/sessions/session-endings.ts), so a revocation made anywhere is
 * refused here at once, and active answers are kept for
 * config.auth.sessionCacheSeconds (GUARDYN_AUTH__SESSION_CACHE_SECONDS) rather
 * than one second; the user directory remembers existing users and forgets
 * deleted ones through the same follower.
 */
import type { Logger } from 'pino';
import type { CommandHandler } from '../commands/handler/handler.ts';
import type { UserDirectory } from '../commands/account/user-directory.ts';
import { sessionOnLog } from '../commands/account/sessions.ts';
import { SessionsView } from '../projections/sessions/queries.ts';
import { CachedSessionCheck } from '../projections/sessions/session-check.ts';
import { SessionEndingsWatcher } from '../projections/sessions/session-endings.ts';
import { commitSource } from '../streams/commit-follower.ts';
import type { EventLog } from '../streams/log.ts';
import { STREAMS } from '../streams/subjects.ts';

/** Every user's subject on the ACCOUNTS stream, where sessions start and end. */
const USER_SUBJECTS = 'accounts.user.*';

export function sessionCheck(
  view: SessionsView,
  handler: CommandHandler,
  options: { readonly watchedTtlMs?: number } = {},
): CachedSessionCheck {
  return new CachedSessionCheck(
    view,
    { status: (sessionId, userId) => sessionOnLog(handler, sessionId, userId) },
    options,
  );
}

/**
 * A session check kept current by a follower of the log's session endings; `stop()` ends the
 * follower. The user directory is told of account deletions by the same follower.
 */
export async function watchedSessionCheck(
  view: SessionsView,
  handler: CommandHandler,
  log: EventLog,
  cacheSeconds: number,
  logger: Logger,
  directory: UserDirectory,
): Promise<{ readonly check: CachedSessionCheck; stop(): Promise<void> }> {
  const check = sessionCheck(view, handler, { watchedTtlMs: cacheSeconds * 1000 });
  const sink = {
    ended: (sessionId: string, userId: string) => check.ended(sessionId, userId),
    userGone: (userId: string) => {
      check.userGone(userId);
      directory.userGone(userId);
    },
    watching: (on: boolean) => {
      check.watching(on);
      directory.watching(on);
    },
  };
  const watcher = new SessionEndingsWatcher(commitSource(log, STREAMS.accounts, USER_SUBJECTS), sink, logger);
  await watcher.start();
  return { check, stop: () => watcher.stop() };
}
