/**
 * The newest last-seen time of each user this process knows of, in memory, so
 * that UpdateLastSeen answers with the refreshed time and GetStatus shows it at
 * once, while the presence engine commits last-seen to the PRESENCE stream only
 * every GUARDYN_PRESENCE__LAST_SEEN_EVERY_MS.
 *
 * It hears the heartbeats of this process's presence gateway at once, and the
 * activity other gateway processes announce (streams/connections.ts: at most
 * once per ACTIVITY_EVERY_MS, 30 s, per connection). So across instances a
 * GetStatus may show a last-seen up to 30 s older than the newest heartbeat
 * made elsewhere, never older than the committed one (the reader takes the
 * newer of this board and the presence view). Bounded: the least recently
 * updated users are forgotten first (their committed time still shows).
 */
import type { PresenceState } from '../commands/presence/decider.ts';
import { setBounded } from '../runtime/bounded-map.ts';

export class LastSeenBoard {
  private readonly times = new Map<string, number>();

  constructor(private readonly maxUsers = 100_000) {}

  /** The user was active at `at` (ms). */
  saw(userId: string, at: number): void {
    const known = this.times.get(userId);
    if (known !== undefined && known >= at) return;
    setBounded(this.times, userId, at, this.maxUsers);
  }

  /** The newest last-seen known here, undefined when none. */
  latest(userId: string): number | undefined {
    return this.times.get(userId);
  }

  /** `state` with its last-seen raised to the newest one known here (a user with no presence yet stays as is). */
  raise(userId: string, state: PresenceState): PresenceState {
    const mine = this.times.get(userId);
    return state.known && mine !== undefined && mine > state.lastSeen ? { ...state, lastSeen: mine } : state;
  }

  get size(): number {
    return this.times.size;
  }
}
