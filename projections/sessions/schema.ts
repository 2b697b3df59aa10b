/** The sessions view: a session by id, and the sessions of a user. */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/keys.ts';
import { recordCodec } from '../view-codec.ts';

export const SessionRecord = t.type({
  sessionId: t.string,
  userId: t.string,
  deviceId: t.string,
  refreshTokenHash: t.string,
  expiresAt: t.number,
  startedAt: t.number,
});
export type SessionRecord = t.TypeOf<typeof SessionRecord>;

export const sessionRecord = recordCodec('session', SessionRecord);

export const sessionsKeys = {
  prefix: childPrefix('sessions'),
  byId: (sessionId: string) => key('sessions', 'id', sessionId),
  ofUser: (userId: string) => childPrefix('sessions', 'user', userId),
  userSession: (userId: string, sessionId: string) => key('sessions', 'user', userId, sessionId),
};
