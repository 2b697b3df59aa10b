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
 * second. While a watcher of the log's session endings is attached and
 * following (`watching(true)`; projections/sessions/session-endings.ts), an
 * active answer is kept for `watchedTtlMs` instead (default 30 s): the watcher
 * calls `ended()` / `userGone()` within moments of a revocation's commit, and
 * the longer TTL only bounds how long a broken watcher could go unnoticed. An
 * answer read while an ending arrived is kept only for `ttlMs`, and never
 * replaces an ending. A session found ended stays ended (revocation is final)
 * and is remembered until evicted. A session found nowhere is refused and
 * remembered only for `absentTtlMs` (default 1 s): a later check reads again.
 * Concurrent checks of one session share a single read.
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
  /** How long an "active" answer is reused while a watcher of session endings follows the log, ms. Default 30,000. */
  readonly watchedTtlMs?: number;
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
  /** Users whose account was deleted (every session of theirs ended), as told by the watcher. */
  private readonly goneUsers = new Map<string, true>();
  /** Counts the endings told to this check: a read that saw it change may predate one. */
  private endings = 0;
  private watched = false;
  private readonly ttlMs: number;
  private readonly watchedTtlMs: number;
  private readonly absentTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  /** `view` answers first; `log` is asked about the sessions `view` does not know. */
  constructor(
    private readonly view: SessionSource,
    private readonly log: SessionSource,
    options: CachedSessionCheckOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.watchedTtlMs = Math.max(this.ttlMs, options.watchedTtlMs ?? 30_000);
    this.absentTtlMs = options.absentTtlMs ?? 1000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  isActive(sessionId: string, userId: string): Promise<boolean> {
    if (this.goneUsers.has(userId)) return Promise.resolve(false);
    const hit = this.entries.get(sessionId);
    if (hit !== undefined && hit.userId === userId && (hit.status === 'ended' || hit.until > this.now()))
      return Promise.resolve(hit.status === 'active');
    const flightKey = `${sessionId}\u0000${userId}`;
    let pending = this.inflight.get(flightKey);
    if (pending === undefined) {
      const endingsBefore = this.endings;
      pending = this.read(sessionId, userId)
        .then((status) => this.settle(sessionId, userId, status, endingsBefore))
        .finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, pending);
    }
    return pending;
  }

  /**
   * Records that a session ended: it is refused here at once, before the view has caught up.
   * Called by this process when it ends one, and by the watcher of the log's session endings.
   */
  ended(sessionId: string, userId: string): void {
    this.endings++;
    this.remember(sessionId, { userId, status: 'ended', until: 0 });
  }

  /** Records that a user's account was deleted: every session of theirs is refused here from now on. */
  userGone(userId: string): void {
    this.endings++;
    setBounded(this.goneUsers, userId, true, this.maxEntries);
  }

  /**
   * Whether a watcher of the log's session endings is following now (active answers are then
   * kept for watchedTtlMs). When it stops, the answers kept longer than ttlMs are cut back.
   */
  watching(on: boolean): void {
    if (this.watched && !on) {
      const until = this.now() + this.ttlMs;
      for (const [sessionId, entry] of this.entries) {
        if (entry.status === 'active' && entry.until > until) this.entries.set(sessionId, { ...entry, until });
      }
    }
    this.watched = on;
  }

  /** Sessions remembered (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private settle(sessionId: string, userId: string, status: SessionStatus, endingsBefore: number): boolean {
    const quiet = this.endings === endingsBefore;
    if (!quiet) {
      // An ending arrived during the read: it wins over what the read saw before it.
      if (this.goneUsers.has(userId)) return false;
      const now = this.entries.get(sessionId);
      if (now !== undefined && now.userId === userId && now.status === 'ended') return false;
    }
    const ttl = status === 'unknown' ? this.absentTtlMs : this.watched && quiet ? this.watchedTtlMs : this.ttlMs;
    this.remember(sessionId, { userId, status, until: this.now() + ttl });
    return status === 'active';
  }

  private async read(sessionId: string, userId: string): Promise<SessionStatus> {
    const seen = await this.view.status(sessionId, userId);
    return seen === 'unknown' ? this.log.status(sessionId, userId) : seen;
  }

  private remember(sessionId: string, entry: Entry): void {
    setBounded(this.entries, sessionId, entry, this.maxEntries);
  }
}
