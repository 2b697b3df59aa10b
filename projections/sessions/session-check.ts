/**
 * The session check every authenticated call makes, kept cheap: answers come
 * from a small in-memory cache. An active session is re-read from the sessions
 * view once its entry is older than `ttlMs` (default 1 s), so a revocation
 * reaches every gateway within the view's lag plus one second. A session found
 * ended stays ended (revocation is final) and is remembered until evicted.
 * Concurrent checks of one session share a single read.
 */
export interface SessionSource {
  isActive(sessionId: string, userId: string): Promise<boolean>;
}

export interface CachedSessionCheckOptions {
  /** How long an "active" answer is reused, ms. Default 1000. */
  readonly ttlMs?: number;
  /** Most sessions remembered. Default 100,000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly userId: string;
  readonly active: boolean;
  readonly until: number;
}

export class CachedSessionCheck {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly source: SessionSource, options: CachedSessionCheckOptions = {}) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  isActive(sessionId: string, userId: string): Promise<boolean> {
    const hit = this.entries.get(sessionId);
    if (hit !== undefined && hit.userId === userId && (!hit.active || hit.until > this.now())) return Promise.resolve(hit.active);
    const flightKey = `${sessionId}\u0000${userId}`;
    let pending = this.inflight.get(flightKey);
    if (pending === undefined) {
      pending = this.source.isActive(sessionId, userId).then((active) => {
        this.remember(sessionId, { userId, active, until: this.now() + this.ttlMs });
        return active;
      }).finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, pending);
    }
    return pending;
  }

  /** Records that this process just ended a session: it is refused here at once, before the view has caught up. */
  ended(sessionId: string, userId: string): void {
    this.remember(sessionId, { userId, active: false, until: 0 });
  }

  /** Sessions remembered (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private remember(sessionId: string, entry: Entry): void {
    this.entries.delete(sessionId);
    this.entries.set(sessionId, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
}
