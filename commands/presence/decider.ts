/**
 * The presence aggregate (subject presence.user.<userId>): a user's chosen
 * status and custom text, and what their connections say (live: ONLINE, AWAY,
 * OFFLINE) with the last-seen time. Pure.
 *
 * Every event carries the whole state (streams/events/presence.ts), so the
 * state is the newest commit alone (`fromLastCommit`): the PRESENCE stream
 * keeps a bounded history per user and older commits may be gone.
 *
 * Commands are idempotent: one that would change nothing emits nothing, so
 * several presence engines deciding on the same signals under optimistic
 * concurrency end with one commit, and the others find nothing left to do.
 *
 * - ChooseStatus: UpdateStatus's ONLINE (automatic), AWAY, DO_NOT_DISTURB or
 *   INVISIBLE, with the custom text ('' clears it).
 * - Observe: what the connections say now (online or not) and the last moment
 *   the user was known present. Online: ONLINE, or AWAY once the last activity
 *   is `awayAfterMs` old. Not online: OFFLINE. While the live state stays, the
 *   last-seen time is committed only when it moved by `lastSeenEveryMs` (one
 *   commit a minute per active user, not one per heartbeat).
 */
import { right, type Either } from 'fp-ts/lib/Either.js';
import type { ChosenStatus, LivePresence, PresenceCause, PresenceChangedData } from '../../streams/events/presence.ts';
import type { Decider, DomainError } from '../handler/decider.ts';

export type PresenceEvent = { readonly type: 'PresenceChanged'; readonly data: PresenceChangedData };

export interface PresenceState {
  /** False before the user's first presence commit. */
  readonly known: boolean;
  readonly live: LivePresence;
  readonly chosen: ChosenStatus;
  readonly customStatusText: string;
  readonly lastSeen: number;
  readonly updatedAt: number;
}

export const UNKNOWN_PRESENCE: PresenceState = {
  known: false,
  live: 'OFFLINE',
  chosen: 'ONLINE',
  customStatusText: '',
  lastSeen: 0,
  updatedAt: 0,
};

export interface ChooseStatus {
  readonly kind: 'ChooseStatus';
  readonly userId: string;
  readonly status: ChosenStatus;
  readonly customStatusText: string;
  readonly at: number;
}

export interface Observe {
  readonly kind: 'Observe';
  readonly userId: string;
  /** Whether some device of the user is connected or heartbeating now. */
  readonly online: boolean;
  /**
   * The last moment the user was known present (activity, a connection coming
   * up, or going down): undefined when the observer does not know it.
   */
  readonly seenAt: number | undefined;
  readonly at: number;
  readonly awayAfterMs: number;
  readonly lastSeenEveryMs: number;
}

export type PresenceCommand = ChooseStatus | Observe;

function changed(
  userId: string,
  state: PresenceState,
  next: Omit<PresenceState, 'known' | 'updatedAt'>,
  cause: PresenceCause,
  at: number,
): PresenceEvent[] {
  const visibleChange =
    next.live !== state.live || next.chosen !== state.chosen || next.customStatusText !== state.customStatusText;
  return [
    {
      type: 'PresenceChanged',
      data: { userId, ...next, updatedAt: visibleChange || !state.known ? at : state.updatedAt, cause, at },
    },
  ];
}

function decide(command: PresenceCommand, state: PresenceState): Either<DomainError, readonly PresenceEvent[]> {
  const current = {
    live: state.live,
    chosen: state.chosen,
    customStatusText: state.customStatusText,
    lastSeen: state.lastSeen,
  };
  if (command.kind === 'ChooseStatus') {
    if (state.known && command.status === state.chosen && command.customStatusText === state.customStatusText)
      return right([]);
    return right(
      changed(
        command.userId,
        state,
        { ...current, chosen: command.status, customStatusText: command.customStatusText },
        'status',
        command.at,
      ),
    );
  }
  const { at } = command;
  if (!command.online) {
    if (state.known && state.live === 'OFFLINE') return right([]);
    const lastSeen = Math.max(state.lastSeen, Math.min(command.seenAt ?? at, at));
    return right(changed(command.userId, state, { ...current, live: 'OFFLINE', lastSeen }, 'connection', at));
  }
  // Online: the last activity known to the observer or recorded while the user was present.
  const recorded = state.live === 'OFFLINE' ? 0 : state.lastSeen;
  const lastActivity = Math.min(at, Math.max(command.seenAt ?? 0, recorded) || at);
  const live: LivePresence = at - lastActivity >= command.awayAfterMs ? 'AWAY' : 'ONLINE';
  const lastSeen = Math.max(state.lastSeen, lastActivity);
  if (state.known && live === state.live && lastSeen - state.lastSeen < command.lastSeenEveryMs) return right([]);
  const cause: PresenceCause =
    live === state.live ? 'activity' : live === 'AWAY' ? 'idle' : state.live === 'OFFLINE' ? 'connection' : 'activity';
  return right(changed(command.userId, state, { ...current, live, lastSeen }, cause, at));
}

function evolve(_state: PresenceState, event: PresenceEvent): PresenceState {
  const { live, chosen, customStatusText, lastSeen, updatedAt } = event.data;
  return { known: true, live, chosen, customStatusText, lastSeen, updatedAt };
}

export const presenceDecider: Decider<PresenceCommand, PresenceEvent, PresenceState> = {
  initialState: UNKNOWN_PRESENCE,
  decide,
  evolve,
  fromLastCommit: (events) => {
    const last = events[events.length - 1];
    return last === undefined ? undefined : evolve(UNKNOWN_PRESENCE, last);
  },
};

// ---------------------------------------------------------------------------
// What others see
// ---------------------------------------------------------------------------

/** UserStatus names as shown: INVISIBLE only to the user themself. */
export type ShownStatus = 'ONLINE' | 'AWAY' | 'DO_NOT_DISTURB' | 'OFFLINE' | 'INVISIBLE';

export interface ShownPresence {
  readonly status: ShownStatus;
  readonly customStatusText: string;
  /** ms; undefined when hidden (invisible) or never seen. */
  readonly lastSeen: number | undefined;
  readonly updatedAt: number;
}

/**
 * The presence as a viewer sees it. Another viewer: INVISIBLE shows OFFLINE
 * without last-seen or custom text; otherwise OFFLINE while no device is
 * present, and while present the chosen AWAY or DO_NOT_DISTURB, else what the
 * connections say. The user themself sees INVISIBLE as chosen, with its times.
 */
export function shownPresence(state: PresenceState, self: boolean): ShownPresence {
  const lastSeen = state.lastSeen > 0 ? state.lastSeen : undefined;
  if (state.chosen === 'INVISIBLE') {
    return self
      ? { status: 'INVISIBLE', customStatusText: state.customStatusText, lastSeen, updatedAt: state.updatedAt }
      : { status: 'OFFLINE', customStatusText: '', lastSeen: undefined, updatedAt: state.updatedAt };
  }
  const status: ShownStatus =
    state.live === 'OFFLINE' ? 'OFFLINE' : state.chosen === 'ONLINE' ? state.live : state.chosen;
  return { status, customStatusText: state.customStatusText, lastSeen, updatedAt: state.updatedAt };
}
