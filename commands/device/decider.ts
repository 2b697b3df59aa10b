/**
 * The device-keys aggregate (subject accounts.device.<userId>.<deviceId>): the
 * public key material one device publishes so peers can reach it: the X3DH
 * bundle (identity key, signed pre-key and its signature, one-time pre-keys)
 * and MLS key packages.
 *
 * Handing out a one-time pre-key or a key package is a command on this
 * aggregate, so two callers can never receive the same one: each decision is
 * appended with the subject's expected last sequence, and a caller that lost
 * the race (in this process or another) reloads and picks the next key.
 *
 * This module is the pure decider; the writes other modules call are in
 * device-keys.ts, fetching (consuming) keys in ../account/fetch-keys.ts.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { KeyBundleData } from '../../streams/events/accounts.ts';
import type {
  DeviceKeysPublished,
  DeviceKeysWithdrawn,
  MlsKeyPackageConsumed,
  MlsKeyPackageUploaded,
  OneTimePreKeyConsumed,
  OneTimePreKeysAdded,
  SignedPreKeyRotated,
} from '../../streams/events/devices.ts';
import type { EventOf } from '../../streams/events/registry.ts';
import { domainError, type Decider, type DomainError } from '../handler/decider.ts';
import {
  decidePushToken,
  evolvePushToken,
  type PushTokenCommand,
  type PushTokenEvent,
  type PushTokenState,
} from './push-token-decider.ts';

// ---------------------------------------------------------------------------
// Bounds
// ---------------------------------------------------------------------------

/** Public keys and signatures are tens of bytes; 1 KiB leaves room for post-quantum hybrids. */
export const MAX_KEY_BYTES = 1024;
/** Unused one-time pre-keys a device may hold on the server. */
export const MAX_AVAILABLE_ONE_TIME_PRE_KEYS = 500;
/** One-time pre-keys per UploadPreKeys call. */
export const MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD = 100;
/** Largest MLS key package accepted. */
export const MAX_MLS_KEY_PACKAGE_BYTES = 64 * 1024;
/** Unused MLS key packages a device may hold on the server. */
export const MAX_STORED_MLS_KEY_PACKAGES = 100;

// ---------------------------------------------------------------------------
// Events, commands, state
// ---------------------------------------------------------------------------

export type DeviceKeysEvent =
  | EventOf<
      | typeof DeviceKeysPublished
      | typeof OneTimePreKeysAdded
      | typeof OneTimePreKeyConsumed
      | typeof SignedPreKeyRotated
      | typeof MlsKeyPackageUploaded
      | typeof MlsKeyPackageConsumed
      | typeof DeviceKeysWithdrawn
    >
  | PushTokenEvent;

export type DeviceKeysCommand =
  | {
      readonly kind: 'PublishDeviceKeys';
      readonly userId: string;
      readonly deviceId: string;
      readonly bundle: KeyBundleData;
      readonly at: number;
    }
  | { readonly kind: 'AddOneTimePreKeys'; readonly keys: readonly Uint8Array[]; readonly at: number }
  | { readonly kind: 'ConsumeOneTimePreKey'; readonly byUserId: string; readonly at: number }
  | {
      readonly kind: 'RotateSignedPreKey';
      readonly signedPreKey: Uint8Array;
      readonly signature: Uint8Array;
      readonly at: number;
    }
  | {
      readonly kind: 'UploadMlsKeyPackage';
      readonly packageId: string;
      readonly keyPackage: Uint8Array;
      readonly at: number;
    }
  | { readonly kind: 'ConsumeMlsKeyPackage'; readonly byUserId: string; readonly at: number }
  | { readonly kind: 'WithdrawDeviceKeys'; readonly at: number }
  | PushTokenCommand;

/** The X3DH part that stays until rotated (the signed pre-key) or withdrawn. */
export interface PublishedBundle {
  readonly identityKey: Uint8Array;
  readonly signedPreKey: Uint8Array;
  readonly signedPreKeySignature: Uint8Array;
  readonly publishedAt: number;
  readonly signedPreKeyAt: number;
}

export interface StoredMlsKeyPackage {
  readonly packageId: string;
  readonly keyPackage: Uint8Array;
  readonly at: number;
}

export interface DeviceKeysState {
  /** Undefined until the device published its bundle. */
  readonly bundle: PublishedBundle | undefined;
  /** Terminal: the device was revoked or its account deleted. */
  readonly withdrawn: boolean;
  /** Unused one-time pre-keys by id, in id order (oldest first). */
  readonly oneTimePreKeys: ReadonlyMap<number, Uint8Array>;
  /** The id the next added one-time pre-key gets. */
  readonly nextKeyId: number;
  /** Unused MLS key packages by id, oldest first. */
  readonly mlsKeyPackages: ReadonlyMap<string, StoredMlsKeyPackage>;
  /** The device's push token (./push-token-decider.ts); gone with the device. */
  readonly pushToken?: PushTokenState | undefined;
}

const initialState: DeviceKeysState = {
  bundle: undefined,
  withdrawn: false,
  oneTimePreKeys: new Map(),
  nextKeyId: 1,
  mlsKeyPackages: new Map(),
};

// ---------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
/** Whether two byte strings are equal. */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

export const DEVICE_GONE = 'unknown device: it was revoked or its account deleted';
export const NOT_PUBLISHED = 'the device has not published a key bundle';
export const NO_KEY_PACKAGE = 'no key package available';

function checkKey(key: Uint8Array, field: string): DomainError | undefined {
  return key.length >= 1 && key.length <= MAX_KEY_BYTES
    ? undefined
    : domainError(
        'INVALID_REQUEST',
        `invalid request: ${field} must be non-empty and at most ${MAX_KEY_BYTES} bytes`,
        field,
      );
}

/**
 * New one-time pre-keys with ids from `nextKeyId`: keys already available and
 * repeats within `keys` are left out (not an error: a client re-sending after
 * a lost answer must not fail).
 */
function freshKeys(
  state: DeviceKeysState,
  keys: readonly Uint8Array[],
  field: string,
): Either<DomainError, { keyId: number; key: Uint8Array }[]> {
  const seen = new Set<string>();
  for (const k of state.oneTimePreKeys.values()) seen.add(b64(k));
  const fresh: { keyId: number; key: Uint8Array }[] = [];
  for (const [i, key] of keys.entries()) {
    const bad = checkKey(key, `${field}[${i}]`);
    if (bad) return left(bad);
    const id = b64(key);
    if (seen.has(id)) continue;
    seen.add(id);
    fresh.push({ keyId: state.nextKeyId + fresh.length, key });
  }
  const total = state.oneTimePreKeys.size + fresh.length;
  if (total > MAX_AVAILABLE_ONE_TIME_PRE_KEYS) {
    return left(
      domainError(
        'INVALID_REQUEST',
        `invalid request: ${field} would leave ${total} unused one-time pre-keys on the device; at most ${MAX_AVAILABLE_ONE_TIME_PRE_KEYS} are kept (${state.oneTimePreKeys.size} are available now)`,
        field,
      ),
    );
  }
  return right(fresh);
}

export const deviceKeysDecider: Decider<DeviceKeysCommand, DeviceKeysEvent, DeviceKeysState> = {
  initialState,
  decide(command, state) {
    if (state.withdrawn) {
      return command.kind === 'WithdrawDeviceKeys'
        ? right([])
        : left(domainError('NOT_FOUND', DEVICE_GONE, 'device_id'));
    }
    switch (command.kind) {
      case 'PublishDeviceKeys': {
        const { bundle } = command;
        for (const [value, field] of [
          [bundle.identityKey, 'key_bundle.identity_key'],
          [bundle.signedPreKey, 'key_bundle.signed_pre_key'],
          [bundle.signedPreKeySignature, 'key_bundle.signed_pre_key_signature'],
        ] as const) {
          const bad = checkKey(value, field);
          if (bad) return left(bad);
        }
        if (state.bundle) {
          // A retry of the same publication changes nothing; a different bundle is refused.
          const b = state.bundle;
          if (
            sameBytes(b.identityKey, bundle.identityKey) &&
            sameBytes(b.signedPreKey, bundle.signedPreKey) &&
            sameBytes(b.signedPreKeySignature, bundle.signedPreKeySignature)
          )
            return right([]);
          return left(domainError('CONFLICT', 'the device already published its keys', 'key_bundle'));
        }
        const keys = freshKeys(state, bundle.oneTimePreKeys, 'key_bundle.one_time_pre_keys');
        if (isLeft(keys)) return keys;
        return right([
          {
            type: 'DeviceKeysPublished',
            data: {
              userId: command.userId,
              deviceId: command.deviceId,
              identityKey: bundle.identityKey,
              signedPreKey: bundle.signedPreKey,
              signedPreKeySignature: bundle.signedPreKeySignature,
              oneTimePreKeys: keys.right,
              at: command.at,
            },
          },
        ]);
      }
      case 'AddOneTimePreKeys': {
        if (!state.bundle)
          return left(
            domainError(
              'NOT_FOUND',
              `${NOT_PUBLISHED}: one-time pre-keys need one (send key_bundle at Register or Login)`,
            ),
          );
        if (command.keys.length === 0 || command.keys.length > MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD) {
          return left(
            domainError(
              'INVALID_REQUEST',
              `invalid request: one_time_pre_keys must have 1-${MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD} items`,
              'one_time_pre_keys',
            ),
          );
        }
        const keys = freshKeys(state, command.keys, 'one_time_pre_keys');
        if (isLeft(keys)) return keys;
        return right(
          keys.right.length === 0 ? [] : [{ type: 'OneTimePreKeysAdded', data: { keys: keys.right, at: command.at } }],
        );
      }
      case 'ConsumeOneTimePreKey': {
        if (!state.bundle) return left(domainError('NOT_FOUND', NOT_PUBLISHED, 'device_id'));
        const next = state.oneTimePreKeys.keys().next();
        if (next.done) return right([]); // the bundle without a one-time pre-key
        return right([
          { type: 'OneTimePreKeyConsumed', data: { keyId: next.value, byUserId: command.byUserId, at: command.at } },
        ]);
      }
      case 'RotateSignedPreKey': {
        if (!state.bundle)
          return left(domainError('NOT_FOUND', `${NOT_PUBLISHED}: there is no signed pre-key to rotate`));
        const bad =
          checkKey(command.signedPreKey, 'signed_pre_key') ?? checkKey(command.signature, 'signed_pre_key_signature');
        if (bad) return left(bad);
        if (
          sameBytes(state.bundle.signedPreKey, command.signedPreKey) &&
          sameBytes(state.bundle.signedPreKeySignature, command.signature)
        )
          return right([]);
        return right([
          {
            type: 'SignedPreKeyRotated',
            data: { signedPreKey: command.signedPreKey, signature: command.signature, at: command.at },
          },
        ]);
      }
      case 'UploadMlsKeyPackage': {
        if (command.keyPackage.length < 1 || command.keyPackage.length > MAX_MLS_KEY_PACKAGE_BYTES) {
          return left(
            domainError(
              'INVALID_REQUEST',
              `invalid request: key_package must be non-empty and at most ${MAX_MLS_KEY_PACKAGE_BYTES} bytes`,
              'key_package',
            ),
          );
        }
        // The same package uploaded again (a retry) keeps its first id.
        for (const p of state.mlsKeyPackages.values())
          if (sameBytes(p.keyPackage, command.keyPackage)) return right([]);
        if (state.mlsKeyPackages.size >= MAX_STORED_MLS_KEY_PACKAGES) {
          return left(
            domainError(
              'INVALID_REQUEST',
              `invalid request: key_package refused: the device already holds ${MAX_STORED_MLS_KEY_PACKAGES} unused key packages, the most kept`,
              'key_package',
            ),
          );
        }
        return right([
          {
            type: 'MlsKeyPackageUploaded',
            data: { packageId: command.packageId, keyPackage: command.keyPackage, at: command.at },
          },
        ]);
      }
      case 'ConsumeMlsKeyPackage': {
        const next = state.mlsKeyPackages.keys().next();
        if (next.done) return left(domainError('NOT_FOUND', NO_KEY_PACKAGE));
        return right([
          {
            type: 'MlsKeyPackageConsumed',
            data: { packageId: next.value, byUserId: command.byUserId, at: command.at },
          },
        ]);
      }
      case 'WithdrawDeviceKeys':
        return right([{ type: 'DeviceKeysWithdrawn', data: { at: command.at } }]);
      case 'RegisterPushToken':
      case 'RemovePushToken':
        return decidePushToken(command, state.pushToken);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'DeviceKeysPublished': {
        const d = event.data;
        const oneTimePreKeys = new Map(state.oneTimePreKeys);
        for (const k of d.oneTimePreKeys) oneTimePreKeys.set(k.keyId, k.key);
        return {
          ...state,
          bundle: {
            identityKey: d.identityKey,
            signedPreKey: d.signedPreKey,
            signedPreKeySignature: d.signedPreKeySignature,
            publishedAt: d.at,
            signedPreKeyAt: d.at,
          },
          oneTimePreKeys,
          nextKeyId: Math.max(state.nextKeyId, ...d.oneTimePreKeys.map((k) => k.keyId + 1)),
        };
      }
      case 'OneTimePreKeysAdded': {
        const oneTimePreKeys = new Map(state.oneTimePreKeys);
        for (const k of event.data.keys) oneTimePreKeys.set(k.keyId, k.key);
        return {
          ...state,
          oneTimePreKeys,
          nextKeyId: Math.max(state.nextKeyId, ...event.data.keys.map((k) => k.keyId + 1)),
        };
      }
      case 'OneTimePreKeyConsumed': {
        const oneTimePreKeys = new Map(state.oneTimePreKeys);
        oneTimePreKeys.delete(event.data.keyId);
        return { ...state, oneTimePreKeys };
      }
      case 'SignedPreKeyRotated':
        return state.bundle
          ? {
              ...state,
              bundle: {
                ...state.bundle,
                signedPreKey: event.data.signedPreKey,
                signedPreKeySignature: event.data.signature,
                signedPreKeyAt: event.data.at,
              },
            }
          : state;
      case 'MlsKeyPackageUploaded': {
        const mlsKeyPackages = new Map(state.mlsKeyPackages);
        mlsKeyPackages.set(event.data.packageId, {
          packageId: event.data.packageId,
          keyPackage: event.data.keyPackage,
          at: event.data.at,
        });
        return { ...state, mlsKeyPackages };
      }
      case 'MlsKeyPackageConsumed': {
        const mlsKeyPackages = new Map(state.mlsKeyPackages);
        mlsKeyPackages.delete(event.data.packageId);
        return { ...state, mlsKeyPackages };
      }
      case 'DeviceKeysWithdrawn':
        return { ...initialState, withdrawn: true, nextKeyId: state.nextKeyId };
      case 'PushTokenRegistered':
      case 'PushTokenRemoved':
        return { ...state, pushToken: evolvePushToken(state.pushToken, event) };
      default:
        return state;
    }
  },
};
