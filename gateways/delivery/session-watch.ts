/**
 * Re-checks the session of a long-lived connection (a stream, a socket) every
 * `everyMs`: a logged-out, revoked or deleted session calls `onEnded` once, so
 * the transport closes it within about everyMs plus the session check's cache.
 */
import type { SessionCheck } from '../shared/auth-context.ts';

export function watchSession(
  sessions: SessionCheck,
  who: { readonly sessionId: string; readonly userId: string },
  everyMs: number,
  onEnded: () => void,
): () => void {
  let stopped = false;
  const timer = setInterval(() => {
    void sessions.isActive(who.sessionId, who.userId).then(
      (active) => {
        if (active || stopped) return;
        stopped = true;
        clearInterval(timer);
        onEnded();
      },
      () => undefined,
    );
  }, everyMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
