/**
 * Events of the PRESENCE stream (presence.user.<userId>).
 *
 * The stream keeps only the newest commits of each user (streams/specs.ts), so
 * folding a user's history from the start is impossible once it is trimmed.
 * Every presence event therefore carries the user's whole presence after the
 * change: the newest commit alone is the current state, and the older ones
 * that are kept are history for audits, never needed to decide.
 *
 * - `live`: what the user's connections say (ONLINE while a device is
 *   connected or heartbeating, AWAY after the idle time, OFFLINE when the last
 *   connection ended or stopped beating).
 * - `chosen`: what the user picked with UpdateStatus (ONLINE means "automatic":
 *   show what the connections say). Kept apart from `live`, combined when shown.
 * - `lastSeen`: the last moment the user was known to be present (ms).
 * - `cause`: why the commit was made (for readers of the log).
 */
import * as t from 'io-ts';
import { EpochMs } from './codecs.ts';
import { defineEvent } from './registry.ts';

export const LivePresence = t.keyof({ ONLINE: null, AWAY: null, OFFLINE: null });
export type LivePresence = t.TypeOf<typeof LivePresence>;

export const ChosenStatus = t.keyof({ ONLINE: null, AWAY: null, DO_NOT_DISTURB: null, INVISIBLE: null });
export type ChosenStatus = t.TypeOf<typeof ChosenStatus>;

export const PresenceCause = t.keyof({ status: null, connection: null, idle: null, activity: null });
export type PresenceCause = t.TypeOf<typeof PresenceCause>;

export const PresenceProps = {
  userId: t.string,
  live: LivePresence,
  chosen: ChosenStatus,
  customStatusText: t.string,
  /** ms; 0 when the user was never seen. */
  lastSeen: EpochMs,
  /** ms: when what others see last changed (status, text or live state). */
  updatedAt: EpochMs,
  cause: PresenceCause,
  at: EpochMs,
};

export const PresenceChanged = defineEvent('PresenceChanged', 1, t.type(PresenceProps));
export type PresenceChangedData = t.TypeOf<typeof PresenceChanged.codec>;

export const presenceEvents = [PresenceChanged] as const;
