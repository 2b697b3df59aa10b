/**
 * The presence view: the newest presence of each user (the state its newest
 * commit carries, with that commit's sequence), and an index of the users
 * whose connections last said they were present, so a presence engine that
 * starts can check exactly those against the connections it sees.
 *
 *   presence/user/<userId>   → PresenceRecord
 *   presence/live/<userId>   → 1 while the record's live state is not OFFLINE
 */
import * as t from 'io-ts';
import { ChosenStatus, LivePresence } from '../../streams/events/presence.ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const PresenceRecord = t.type({
  userId: t.string,
  live: LivePresence,
  chosen: ChosenStatus,
  customStatusText: t.string,
  lastSeen: t.number,
  updatedAt: t.number,
  /** Stream sequence of the commit this record is (newer commits replace it). */
  seq: t.number,
});
export type PresenceRecord = t.TypeOf<typeof PresenceRecord>;

export const presenceRecord = recordCodec('presence', PresenceRecord);

export const presenceKeys = {
  prefixes: [childPrefix('presence')],
  user: (userId: string) => key('presence', 'user', userId),
  live: (userId: string) => key('presence', 'live', userId),
  liveOf: () => childPrefix('presence', 'live'),
};
