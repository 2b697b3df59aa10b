/**
 * A sliding-window rate limiter, in memory: at most `max` events per key within
 * any `windowMs`. The (max + 1)-th event inside a window is refused until the
 * oldest event of that window is `windowMs` old; the refusal says how long.
 *
 * Exact, not approximate: each key keeps the times of its events still inside
 * the window (at most `max` of them, since refused events are not recorded).
 * Memory is bounded: at most `maxKeys` keys are tracked, the least recently
 * used key is forgotten first, and a key whose events have all left the window
 * is dropped when it is next seen or by `sweep()` (run on every `maxKeys / 4`-th
 * insertion, so expired keys never pile up). The worst case is
 * maxKeys × max timestamps.
 *
 * Forgetting a key forgets its events, so an attacker who can create
 * `maxKeys` fresh keys inside one window can reset a key's count; size
 * `maxKeys` above what one window can see (GUARDYN_LIMITS__MAX_TRACKED_KEYS).
 *
 * The limiter is per process: several gateway instances each allow `max`.
 */

export interface SlidingWindowOptions {
  /** Events allowed per window; 0 turns the limiter off (every event allowed, nothing tracked). */
  readonly max: number;
  readonly windowMs: number;
  /** Most keys tracked at once. Default 100,000. */
  readonly maxKeys?: number;
  /** Milliseconds since the epoch; tests move it. Default Date.now. */
  readonly now?: () => number;
}

export type LimitDecision =
  | { readonly allowed: true /** When the event was recorded (hand it to `refund`). */; readonly at: number }
  | {
      readonly allowed: false /** Milliseconds until one more event would be allowed (at least 1). */;
      readonly retryAfterMs: number;
    };

const DEFAULT_MAX_KEYS = 100_000;

export class SlidingWindowLimiter {
  readonly max: number;
  readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  /** key → event times, oldest first; Map order is least recently used first. */
  private readonly events = new Map<string, number[]>();
  private insertionsSinceSweep = 0;

  constructor(options: SlidingWindowOptions) {
    if (!Number.isInteger(options.max) || options.max < 0)
      throw new RangeError(`max must be a whole number >= 0, got ${options.max}`);
    if (!(options.windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${options.windowMs}`);
    this.max = options.max;
    this.windowMs = options.windowMs;
    this.maxKeys = Math.max(1, options.maxKeys ?? DEFAULT_MAX_KEYS);
    this.now = options.now ?? Date.now;
  }

  /** Whether the limiter does anything (max > 0). */
  get enabled(): boolean {
    return this.max > 0;
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.events.size;
  }

  /** Records one event for `key` when the window has room; otherwise refuses and records nothing. */
  take(key: string): LimitDecision {
    const now = this.now();
    if (!this.enabled) return { allowed: true, at: now };
    const times = this.live(key, now);
    if (times.length >= this.max) {
      this.touch(key, times); // a key being hammered is the last one to forget
      return { allowed: false, retryAfterMs: this.retryAfter(times, now) };
    }
    times.push(now);
    this.touch(key, times);
    return { allowed: true, at: now };
  }

  /** What `take` would answer, without recording anything. */
  peek(key: string): LimitDecision {
    const now = this.now();
    if (!this.enabled) return { allowed: true, at: now };
    const times = this.live(key, now);
    if (times.length === 0) this.events.delete(key);
    return times.length >= this.max
      ? { allowed: false, retryAfterMs: this.retryAfter(times, now) }
      : { allowed: true, at: now };
  }

  /** Records one event for `key` whether or not the window has room (an outcome that already happened). */
  record(key: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const times = this.live(key, now);
    times.push(now);
    // Only the newest `max` events can ever decide a refusal.
    if (times.length > this.max) times.splice(0, times.length - this.max);
    this.touch(key, times);
  }

  /** Takes back one event recorded at `at` by `take` (the attempt turned out not to count). */
  refund(key: string, at: number): void {
    const times = this.events.get(key);
    if (times === undefined) return;
    const i = times.lastIndexOf(at);
    if (i >= 0) times.splice(i, 1);
    if (times.length === 0) this.events.delete(key);
  }

  /** Forgets every event of `key`. */
  reset(key: string): void {
    this.events.delete(key);
  }

  /** Drops every key whose events have all left the window. */
  sweep(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [key, times] of this.events) {
      const newest = times[times.length - 1];
      if (newest === undefined || newest <= cutoff) this.events.delete(key);
    }
    this.insertionsSinceSweep = 0;
  }

  /** The key's events still inside the window (expired ones dropped), oldest first. */
  private live(key: string, now: number): number[] {
    const times = this.events.get(key);
    if (times === undefined) return [];
    const cutoff = now - this.windowMs;
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= cutoff) expired++;
    if (expired > 0) times.splice(0, expired);
    return times;
  }

  private retryAfter(times: readonly number[], now: number): number {
    // The event that must leave the window before one more fits: the max-th newest.
    // An event at t counts while now < t + windowMs.
    const blocking = times[times.length - this.max] ?? now;
    return Math.max(1, blocking + this.windowMs - now);
  }

  /** Marks `key` most recently used, evicting the least recently used keys beyond maxKeys. */
  private touch(key: string, times: number[]): void {
    const known = this.events.delete(key);
    this.events.set(key, times);
    if (known) return;
    if (++this.insertionsSinceSweep >= Math.max(16, this.maxKeys / 4)) this.sweep();
    while (this.events.size > this.maxKeys) {
      const oldest = this.events.keys().next();
      if (oldest.done === true) break;
      this.events.delete(oldest.value);
    }
  }
}
