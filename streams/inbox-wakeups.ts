/**
 * Inbox wake-ups: after each batch it commits, the inbox projection announces
 * the users that got entries on core NATS (`guardyn.inbox.<userId>`, payload:
 * the batch's last stream sequence, as decimal text), so every gateway instance
 * streaming to one of them reads at once instead of polling. A wake-up is a
 * hint, never stored: a lost one only delays delivery until the stream's next
 * periodic read.
 */
import type { Signals } from './signals.ts';
import { SharedSubscriptions } from './shared-subscriptions.ts';
import { token } from './subjects.ts';

export const wakeSubject = (userId: string): string => `guardyn.inbox.${token(userId, 'user id')}`;

/**
 * Announces that users have new inbox entries up to `seq`; users whose id is
 * not a subject token are left to the periodic read, and nothing is sent once
 * the connection is closed.
 */
export function inboxAnnouncer(signals: Signals): (userIds: Iterable<string>, seq: number) => void {
  return (userIds, seq) => {
    if (signals.closed) return;
    const payload = String(seq);
    for (const userId of userIds) {
      try {
        signals.publish(wakeSubject(userId), payload);
      } catch {
        // not a valid subject token, or the connection is draining
      }
    }
  };
}

/**
 * One subscription per user with open streams in this process, shared by that
 * user's streams (devices) and dropped with the last of them.
 */
export class InboxWakeups {
  private readonly subscriptions: SharedSubscriptions<number>;

  constructor(signals: Signals) {
    this.subscriptions = new SharedSubscriptions(signals, (data) => Number(Buffer.from(data).toString('utf8')) || 0);
  }

  /** Calls `listener` with the announced sequence whenever the user gets inbox entries; returns the unsubscribe. */
  listen(userId: string, listener: (seq: number) => void): () => void {
    return this.subscriptions.listen(wakeSubject(userId), listener);
  }
}
