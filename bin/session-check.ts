/**
 * The session check of a process's gateways: the sessions view first, and for
 * a session the view has not seen, its user's subject on the ACCOUNTS stream
 * (fail closed: a session found nowhere is refused).
 */
import type { CommandHandler } from '../commands/handler.ts';
import { sessionOnLog } from '../commands/sessions.ts';
import { SessionsView } from '../projections/sessions/queries.ts';
import { CachedSessionCheck } from '../projections/sessions/session-check.ts';
import type { KvStore } from '../stores/kv/port.ts';

export function sessionCheck(kv: KvStore, handler: CommandHandler): CachedSessionCheck {
  return new CachedSessionCheck(new SessionsView(kv), { status: (sessionId, userId) => sessionOnLog(handler, sessionId, userId) });
}
