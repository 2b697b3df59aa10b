/**
 * The session check every authenticated call makes, kept cheap: answers come
 * from a small in-memory cache. It fails closed: a session is active only when
 * the sessions view, or else the log, shows it started and not ended.
 *
 * - The view answers first. A session it knows is active or ended.
 * - A session the view does not know (its SessionStarted may still be on its
 *   way, or it never existed) is looked up on the log: its user's subject on
 *   the ACCOUNTS stream. So a login followed at once by a call works however far
 *   the view lags, and a token naming a session that never existed (signed
 *   with the real key) is refused everywhere.
 *
 * An active session is re-read once its entry is older than `ttlMs` (default
 * 1 s), so a revocation reaches every gateway within the view's lag plus one
 * second. A session found ended stays ended (revocation is final) and is
 * remembered until evicted. A session found nowhere is refused and remembered
 * only for `absentTtlMs` (default 1 s): a later check reads again. Concurrent
 * checks of one session share a single read.
 */
import { setBounded } from '../../runtime/bounded-map.ts';

export type SessionStatus = 'active' | 'ended' | 'unknown';

/** A place that knows sessions: the sessions view, or the log. `unknown`: it has never seen the session. */
export interface SessionSource {
  status(sessionId: string, userId: string): Promise<SessionStatus>;
}

export interface CachedSessionCheckOptions {
  /** How long an "active" answer is reused, ms. Default 1000. */
  readonly ttlMs?: number;
  /** How long "no such session" (neither the view nor the log knows it) is reused, ms. Default 1000. */
  readonly absentTtlMs?: number;
  /** Most sessions remembered. Default 100,000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly userId: string;
  readonly status: SessionStatus;
  readonly until: number;
}

export class CachedSessionCheck {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly ttlMs: number;
  private readonly absentTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  /** `view` answers first; `log` is asked about the sessions `view` does not know. */
  constructor(private readonly view: SessionSource, private readonly log: SessionSource, options: CachedSessionCheckOptions = {}) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.absentTtlMs = options.absentTtlMs ?? 1000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  isActive(sessionId: string, userId: string): Promise<boolean> {
    const hit = this.entries.get(sessionId);
    if (hit !== undefined && hit.userId === userId && (hit.status === 'ended' || hit.until > this.now())) return Promise.resolve(hit.status === 'active');
    const flightKey = `${sessionId}\u0000${userId}`;
    let pending = this.inflight.get(flightKey);
    if (pending === undefined) {
      pending = this.read(sessionId, userId).then((status) => {
        this.remember(sessionId, { userId, status, until: this.now() + (status === 'unknown' ? this.absentTtlMs : this.ttlMs) });
        return status === 'active';
      }).finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, pending);
    }
    return pending;
  }

  /** Records that this process just ended a session: it is refused here at once, before the view has caught up. */
  ended(sessionId: string, userId: string): void {
    this.remember(sessionId, { userId, status: 'ended', until: 0 });
  }

  /** Sessions remembered (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private async read(sessionId: string, userId: string): Promise<SessionStatus> {
    const seen = await this.view.status(sessionId, userId);
    return seen === 'unknown' ? this.log.status(sessionId, userId) : seen;
  }

  private remember(sessionId: string, entry: Entry): void {
    setBounded(this.entries, sessionId, entry, this.maxEntries);
  }
}
