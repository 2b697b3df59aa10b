/** Events of the ACCOUNTS stream: users, usernames, devices, sessions. */
import * as t from 'io-ts';
import { Base64Bytes, EpochMs } from './codecs.ts';
import { defineEvent } from './registry.ts';

export const KeyBundleData = t.type({
  identityKey: Base64Bytes,
  signedPreKey: Base64Bytes,
  signedPreKeySignature: Base64Bytes,
  oneTimePreKeys: t.array(Base64Bytes),
});
export type KeyBundleData = t.TypeOf<typeof KeyBundleData>;

export const UsernameClaimed = defineEvent('UsernameClaimed', 1, t.type({ username: t.string, userId: t.string, at: EpochMs }));

export const UserRegistered = defineEvent(
  'UserRegistered',
  1,
  t.type({ userId: t.string, username: t.string, email: t.string, passwordHash: t.string, at: EpochMs }),
);

export const DeviceRegistered = defineEvent(
  'DeviceRegistered',
  1,
  t.type({
    userId: t.string,
    deviceId: t.string,
    deviceName: t.string,
    deviceType: t.string,
    keyBundle: t.union([KeyBundleData, t.null]),
    at: EpochMs,
  }),
);

export const SessionStarted = defineEvent(
  'SessionStarted',
  1,
  t.type({
    userId: t.string,
    sessionId: t.string,
    deviceId: t.string,
    /** SHA-256 of the refresh token, hex; the token itself is never stored. */
    refreshTokenHash: t.string,
    expiresAt: EpochMs,
    at: EpochMs,
  }),
);

export const accountEvents = [UsernameClaimed, UserRegistered, DeviceRegistered, SessionStarted] as const;
