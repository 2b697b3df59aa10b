/**
 * The sessions view: a session by id (with its revocation), the sessions of a
 * user, refresh-token hashes (current and spent) → their session, and a
 * tombstone per deleted user.
 *
 * | key | value |
 * |---|---|
 * | `sessions/id/<sessionId>` | SessionRecord |
 * | `sessions/user/<userId>/<sessionId>` | (present) |
 * | `sessions/refresh/<sha256 hex>` | RefreshRecord: the session the token belongs (or belonged) to |
 * | `sessions/refresh-of/<userId>/<sha256 hex>` | (present): to remove a deleted user's hashes |
 * | `sessions/gone/<userId>` | (present): the account was deleted; every session of it is over |
 *
 * Refresh hashes are SHA-256 of 256-bit random tokens: they reveal nothing and
 * cannot be turned back into tokens.
 */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const SessionRecord = t.intersection([
  t.type({
    sessionId: t.string,
    userId: t.string,
    deviceId: t.string,
    /** The current refresh token's hash. */
    refreshTokenHash: t.string,
    /** Refresh expiry (ms). */
    expiresAt: t.number,
    startedAt: t.number,
  }),
  t.partial({
    refreshedAt: t.number,
    /** Set once the session is revoked. */
    revokedAt: t.number,
    revokedReason: t.string,
  }),
]);
export type SessionRecord = t.TypeOf<typeof SessionRecord>;

export const RefreshRecord = t.type({ sessionId: t.string, userId: t.string });
export type RefreshRecord = t.TypeOf<typeof RefreshRecord>;

export const sessionRecord = recordCodec('session', SessionRecord);
export const refreshRecord = recordCodec('refresh token', RefreshRecord);

export const sessionsKeys = {
  prefix: childPrefix('sessions'),
  byId: (sessionId: string) => key('sessions', 'id', sessionId),
  ofUser: (userId: string) => childPrefix('sessions', 'user', userId),
  userSession: (userId: string, sessionId: string) => key('sessions', 'user', userId, sessionId),
  refresh: (hash: string) => key('sessions', 'refresh', hash),
  refreshOfUser: (userId: string) => childPrefix('sessions', 'refresh-of', userId),
  refreshOf: (userId: string, hash: string) => key('sessions', 'refresh-of', userId, hash),
  gone: (userId: string) => key('sessions', 'gone', userId),
  /** Where the projection runtime keeps the view's checkpoint (see kv-target.ts). */
  checkpoint: key('proj', 'sessions', 'checkpoint'),
};
