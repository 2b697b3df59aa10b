/**
 * Events of the ACCOUNTS stream: users, usernames, devices, sessions, deletion.
 *
 * Personal data is never stored in the clear: the username (its display form),
 * the email, the password hash and device names travel as `Sealed` values,
 * AES-256-GCM under the user's data key (stores/data-keys.ts). Destroying that
 * key (DeleteAccount) makes them unreadable in every replay. The username claim
 * subject holds a SHA-256 of the lower-cased name and its event no name at all.
 *
 * Versions: these shapes are version 1. The sealed fields were introduced
 * before anything ran in production, so v1 was redefined rather than bumped
 * (an upcaster from a plaintext v1 could only carry the plaintext along, or
 * would need the key; see docs/adr/0023-crypto-shredding-a-data-key-per-user.md).
 */
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

const base64 = (what: string) =>
  t.refinement(t.string, (s) => s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s), what);

/** A value sealed with the user's data key: 12-byte IV and ciphertext ‖ 16-byte GCM tag, both base64. */
export const Sealed = t.type({ iv: base64('SealedIv'), ct: base64('SealedCiphertext') });
export type Sealed = t.TypeOf<typeof Sealed>;

/** The claim of a username; the subject (accounts.username.<sha256 hex of the lower-cased name>) says which. */
export const UsernameClaimed = defineEvent('UsernameClaimed', 1, t.type({ userId: t.string, at: EpochMs }));

export const UserRegistered = defineEvent(
  'UserRegistered',
  1,
  t.type({ userId: t.string, username: Sealed, email: Sealed, passwordHash: Sealed, at: EpochMs }),
);

export const DeviceRegistered = defineEvent(
  'DeviceRegistered',
  1,
  t.type({
    userId: t.string,
    deviceId: t.string,
    deviceName: Sealed,
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
    /** When the refresh token stops working (ms). */
    expiresAt: EpochMs,
    at: EpochMs,
  }),
);

/** A refresh token was traded in: `refreshTokenHash` is the new one; the one before is spent. */
export const SessionRefreshed = defineEvent(
  'SessionRefreshed',
  1,
  t.type({ userId: t.string, sessionId: t.string, refreshTokenHash: t.string, expiresAt: EpochMs, at: EpochMs }),
);

export const SESSION_REVOKE_REASONS = [
  'logout',
  'logout-all',
  'refresh-reuse',
  'device-revoked',
  'account-deleted',
] as const;
export type SessionRevokeReason = (typeof SESSION_REVOKE_REASONS)[number];

const RevokeReason = t.keyof(
  Object.fromEntries(SESSION_REVOKE_REASONS.map((r) => [r, null])) as Record<SessionRevokeReason, null>,
);

export const SessionRevoked = defineEvent(
  'SessionRevoked',
  1,
  t.type({ userId: t.string, sessionId: t.string, reason: RevokeReason, at: EpochMs }),
);

/** Security event: a spent refresh token was presented again (the session is revoked in the same commit). */
export const RefreshTokenReused = defineEvent(
  'RefreshTokenReused',
  1,
  t.type({ userId: t.string, sessionId: t.string, at: EpochMs }),
);

export const DeviceRevoked = defineEvent(
  'DeviceRevoked',
  1,
  t.type({ userId: t.string, deviceId: t.string, at: EpochMs }),
);

export const AccountDeleted = defineEvent('AccountDeleted', 1, t.type({ userId: t.string, at: EpochMs }));

/** Audit: the user's data key was destroyed; everything sealed with it is unreadable from now on. */
export const UserDataKeyDestroyed = defineEvent('UserDataKeyDestroyed', 1, t.type({ userId: t.string, at: EpochMs }));

export const accountEvents = [
  UsernameClaimed,
  UserRegistered,
  DeviceRegistered,
  SessionStarted,
  SessionRefreshed,
  SessionRevoked,
  RefreshTokenReused,
  DeviceRevoked,
  AccountDeleted,
  UserDataKeyDestroyed,
] as const;
