/**
 * The push-tokens view: the current push token of each device, opened from
 * its sealed form, for the push projection (which devices can get a push) and
 * the push worker (where to send it).
 *
 *   pushtok/<userId>/<deviceId> → { platform, token, tokenHash, environment, showSender, at }
 *
 * The token is kept open here (the store also holds the data keys that open
 * it); the log keeps it sealed, so a deleted account's tokens are gone from a
 * rebuilt view.
 */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { PushEnvironment, PushPlatform } from '../../streams/events/push.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const PushTokenRecord = t.type({
  platform: PushPlatform,
  token: t.string,
  tokenHash: t.string,
  environment: PushEnvironment,
  showSender: t.boolean,
  at: t.number,
});
export type PushTokenRecord = t.TypeOf<typeof PushTokenRecord>;

export const pushTokenRecord = recordCodec('push token', PushTokenRecord);

export const pushTokenKeys = {
  prefix: childPrefix('pushtok'),
  ofUser: (userId: string) => childPrefix('pushtok', userId),
  device: (userId: string, deviceId: string) => key('pushtok', userId, deviceId),
};
