/**
 * Events of a device's public key material, on the ACCOUNTS stream under
 * `accounts.device.<userId>.<deviceId>`: the X3DH bundle (identity key, signed
 * pre-key, one-time pre-keys) and MLS key packages. The server stores and
 * hands out these bytes untouched; it never sees private keys.
 */
import * as t from 'io-ts';
import { Base64Bytes, EpochMs } from './codecs.ts';
import { defineEvent } from './registry.ts';

/** A server-assigned one-time pre-key id: 1, 2, 3... per device, never reused. */
export const KeyId = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 1, 'KeyId');

export const OneTimePreKey = t.type({ keyId: KeyId, key: Base64Bytes });
export type OneTimePreKey = t.TypeOf<typeof OneTimePreKey>;

export const DeviceKeysPublished = defineEvent(
  'DeviceKeysPublished',
  1,
  t.type({
    userId: t.string,
    deviceId: t.string,
    identityKey: Base64Bytes,
    signedPreKey: Base64Bytes,
    signedPreKeySignature: Base64Bytes,
    oneTimePreKeys: t.array(OneTimePreKey),
    at: EpochMs,
  }),
);

export const OneTimePreKeysAdded = defineEvent(
  'OneTimePreKeysAdded',
  1,
  t.type({ keys: t.array(OneTimePreKey), at: EpochMs }),
);

/** One one-time pre-key handed out to `byUserId` (and thereby removed). */
export const OneTimePreKeyConsumed = defineEvent(
  'OneTimePreKeyConsumed',
  1,
  t.type({ keyId: KeyId, byUserId: t.string, at: EpochMs }),
);

export const SignedPreKeyRotated = defineEvent(
  'SignedPreKeyRotated',
  1,
  t.type({ signedPreKey: Base64Bytes, signature: Base64Bytes, at: EpochMs }),
);

export const MlsKeyPackageUploaded = defineEvent(
  'MlsKeyPackageUploaded',
  1,
  t.type({ packageId: t.string, keyPackage: Base64Bytes, at: EpochMs }),
);

export const MlsKeyPackageConsumed = defineEvent(
  'MlsKeyPackageConsumed',
  1,
  t.type({ packageId: t.string, byUserId: t.string, at: EpochMs }),
);

/** The device was revoked or its account deleted: its keys are gone for good. */
export const DeviceKeysWithdrawn = defineEvent('DeviceKeysWithdrawn', 1, t.type({ at: EpochMs }));

export const deviceKeyEvents = [
  DeviceKeysPublished,
  OneTimePreKeysAdded,
  OneTimePreKeyConsumed,
  SignedPreKeyRotated,
  MlsKeyPackageUploaded,
  MlsKeyPackageConsumed,
  DeviceKeysWithdrawn,
] as const;
