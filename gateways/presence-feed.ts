/**
 * The seam between presence and the gateways that show it (the WebSocket
 * gateway's `presence` frames, PresenceService.Subscribe): a feed of the
 * presence of some users as one viewer may see it.
 */

/** What a viewer may see: INVISIBLE shows as OFFLINE, without `lastSeen`. */
export type VisibleStatus = 'ONLINE' | 'AWAY' | 'DO_NOT_DISTURB' | 'OFFLINE';

export interface PresenceUpdate {
  readonly userId: string;
  readonly status: VisibleStatus;
  readonly customStatusText: string;
  /** ms since the epoch; absent when hidden (invisible) or unknown. */
  readonly lastSeen?: number;
  /** ms since the epoch: when this status took effect. */
  readonly at: number;
}

export interface PresenceFeed {
  /**
   * Follows the presence of `userIds` as `viewerUserId` may see it (privacy
   * applied: users who share no conversation or group with the viewer are left
   * out): first the current state of each, then every change once, as it
   * happens (event-driven, never polling). Resolves with a function that stops
   * the watch.
   */
  watch(
    viewerUserId: string,
    userIds: readonly string[],
    onUpdate: (update: PresenceUpdate) => void,
  ): Promise<() => void>;
}
