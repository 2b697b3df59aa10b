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
 * Besides the decider, this module holds the writes other modules call:
 * `publishDeviceKeys` (Register, Login on a new device), `withdrawDeviceKeys`
 * (device revoked, account deleted) and the owner's uploads and rotation.
 * Fetching (consuming) keys is in fetch-keys.ts.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { KeyBundleData } from '../streams/events/accounts.ts';
import type {
  DeviceKeysPublished,
  DeviceKeysWithdrawn,
  MlsKeyPackageConsumed,
  MlsKeyPackageUploaded,
  OneTimePreKeyConsumed,
  OneTimePreKeysAdded,
  SignedPreKeyRotated,
} from '../streams/events/devices.ts';
import type { EventOf } from '../streams/events/registry.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';
import { derivedId, newId } from '../runtime/ids.ts';
import { domainError, fold, type Decider, type DomainError } from './decider.ts';
import type { CommandHandler, CommandResult } from './handler.ts';
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
  /** The device's push token (commands/push-token-decider.ts); gone with the device. */
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
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

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

// ---------------------------------------------------------------------------
// Running commands
// ---------------------------------------------------------------------------

export interface DeviceKeysDeps {
  readonly handler: CommandHandler;
}

export interface KeysRequestMeta {
  readonly correlationId: string;
  /** Who asked (null: the system, e.g. an account deletion). */
  readonly actor: { readonly userId: string; readonly deviceId: string } | null;
  /** The command's id; default a fresh UUID. Give a derived one where a retry must be deduplicated. */
  readonly commandId?: string;
  readonly causationId?: string;
}

export interface Decided {
  readonly result: CommandResult<DeviceKeysEvent>;
  /** The state the final decision was made on (the caller finds the handed-out key in it). */
  readonly before: DeviceKeysState;
  /** The state after the commit. */
  readonly after: DeviceKeysState;
}

/**
 * Runs one command on a device's key aggregate. The aggregate is first caught
 * up with the stream (so a decision that commits nothing, such as "no
 * one-time pre-key left", is not made on a stale cached state); a race lost to
 * another process is retried by the handler.
 */
export async function runDeviceKeysCommand(
  deps: DeviceKeysDeps,
  userId: string,
  deviceId: string,
  command: DeviceKeysCommand,
  commandName: string,
  meta: KeysRequestMeta,
): Promise<Either<DomainError, Decided>> {
  const subject = subjects.device(userId, deviceId);
  await deps.handler.load(STREAMS.accounts, subject, deviceKeysDecider);
  let before = deviceKeysDecider.initialState;
  const observed: typeof deviceKeysDecider = {
    ...deviceKeysDecider,
    decide(c, s) {
      before = s;
      return deviceKeysDecider.decide(c, s);
    },
  };
  const result = await deps.handler.handle({
    stream: STREAMS.accounts,
    subject,
    decider: observed,
    command,
    meta: {
      commandId: meta.commandId ?? newId(),
      command: commandName,
      correlationId: meta.correlationId,
      causationId: meta.causationId ?? meta.correlationId,
      // Only the two ids: a caller's claims (session id, expiry) must not reach the log.
      actor: meta.actor && { userId: meta.actor.userId, deviceId: meta.actor.deviceId },
      at: command.at,
    },
  });
  if (isLeft(result)) return result;
  return right({ result: result.right, before, after: fold(deviceKeysDecider, before, result.right.events) });
}

/** The consistency token of a key command. */
export interface KeysCommit {
  readonly stream: string;
  readonly seq: number;
}

/**
 * Publishes a new device's key bundle (Register, Login on a new device): one
 * DeviceKeysPublished commit on the device's subject, after the account
 * commit. Nothing happens without a bundle (`keyBundle` null: resolves to
 * right(null)). The command id is derived from (user, device), so a retry is
 * deduplicated.
 */
export async function publishDeviceKeys(
  deps: DeviceKeysDeps,
  input: {
    readonly userId: string;
    readonly deviceId: string;
    readonly keyBundle: KeyBundleData | null;
    readonly at?: number;
  },
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, KeysCommit | null>> {
  if (input.keyBundle === null) return right(null);
  const at = input.at ?? Date.now();
  const decided = await runDeviceKeysCommand(
    deps,
    input.userId,
    input.deviceId,
    { kind: 'PublishDeviceKeys', userId: input.userId, deviceId: input.deviceId, bundle: input.keyBundle, at },
    'PublishDeviceKeys',
    {
      correlationId: meta.correlationId,
      actor: { userId: input.userId, deviceId: input.deviceId },
      commandId: derivedId('publish-device-keys', input.userId, input.deviceId),
    },
  );
  if (isLeft(decided)) return decided;
  return right({ stream: decided.right.result.stream, seq: decided.right.result.seq });
}

export interface WithdrawnKeys extends KeysCommit {
  /** False when the keys had been withdrawn before (nothing was committed). */
  readonly withdrawn: boolean;
}

/**
 * Withdraws every key of a device for good (the device was revoked or the
 * account deleted): commits DeviceKeysWithdrawn. Afterwards GetKeyBundle and
 * GetMlsKeyPackage for the device answer NOT_FOUND, uploads are refused, and
 * the keys view holds nothing of the device. Idempotent; also seals a device
 * that never published keys, so a late publication cannot bring it back.
 * Throws only infrastructure errors (the log unreachable, too much contention).
 */
export async function withdrawDeviceKeys(
  deps: DeviceKeysDeps,
  userId: string,
  deviceId: string,
  correlationId: string,
): Promise<WithdrawnKeys> {
  const decided = await runDeviceKeysCommand(
    deps,
    userId,
    deviceId,
    { kind: 'WithdrawDeviceKeys', at: Date.now() },
    'WithdrawDeviceKeys',
    { correlationId, actor: null, commandId: derivedId('withdraw-device-keys', userId, deviceId) },
  );
  if (isLeft(decided))
    throw new Error(`withdrawing the keys of ${userId}/${deviceId} was refused: ${decided.left.message}`);
  const { result } = decided.right;
  return { stream: result.stream, seq: result.seq, withdrawn: result.events.length > 0 && !result.duplicate };
}

/** The caller's own device (from its access token). */
export interface CallerDevice {
  readonly userId: string;
  readonly deviceId: string;
}

export interface UploadedPreKeys extends KeysCommit {
  /** Keys actually added (duplicates of available keys are not counted). */
  readonly uploaded: number;
  /** Keys left out because the device already had them (or they repeated within the upload). */
  readonly ignored: number;
  /** Unused one-time pre-keys the device has now. */
  readonly available: number;
}

/** UploadPreKeys: adds one-time pre-keys to the caller's device; identity and signed pre-keys stay as they are. */
export async function uploadOneTimePreKeys(
  deps: DeviceKeysDeps,
  caller: CallerDevice,
  keys: readonly Uint8Array[],
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, UploadedPreKeys>> {
  const decided = await runDeviceKeysCommand(
    deps,
    caller.userId,
    caller.deviceId,
    { kind: 'AddOneTimePreKeys', keys, at: Date.now() },
    'AddOneTimePreKeys',
    { correlationId: meta.correlationId, actor: caller },
  );
  if (isLeft(decided)) return decided;
  const { result, before, after } = decided.right;
  const uploaded = after.oneTimePreKeys.size - before.oneTimePreKeys.size;
  return right({
    uploaded,
    ignored: keys.length - uploaded,
    available: after.oneTimePreKeys.size,
    stream: result.stream,
    seq: result.seq,
  });
}

/** RotateSignedPreKey: replaces the caller's signed pre-key and its signature. */
export async function rotateSignedPreKey(
  deps: DeviceKeysDeps,
  caller: CallerDevice,
  input: { readonly signedPreKey: Uint8Array; readonly signature: Uint8Array },
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, KeysCommit & { readonly rotatedAt: number }>> {
  const decided = await runDeviceKeysCommand(
    deps,
    caller.userId,
    caller.deviceId,
    { kind: 'RotateSignedPreKey', signedPreKey: input.signedPreKey, signature: input.signature, at: Date.now() },
    'RotateSignedPreKey',
    { correlationId: meta.correlationId, actor: caller },
  );
  if (isLeft(decided)) return decided;
  const { result, after } = decided.right;
  return right({ stream: result.stream, seq: result.seq, rotatedAt: after.bundle?.signedPreKeyAt ?? 0 });
}

/** UploadMlsKeyPackage: stores one package for the caller's device; the same bytes again keep their first id. */
export async function uploadMlsKeyPackage(
  deps: DeviceKeysDeps,
  caller: CallerDevice,
  keyPackage: Uint8Array,
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, KeysCommit & { readonly packageId: string; readonly at: number }>> {
  const packageId = newId();
  const decided = await runDeviceKeysCommand(
    deps,
    caller.userId,
    caller.deviceId,
    { kind: 'UploadMlsKeyPackage', packageId, keyPackage, at: Date.now() },
    'UploadMlsKeyPackage',
    { correlationId: meta.correlationId, actor: caller, commandId: packageId },
  );
  if (isLeft(decided)) return decided;
  const { result, after } = decided.right;
  const stored = [...after.mlsKeyPackages.values()].find((p) => sameBytes(p.keyPackage, keyPackage));
  if (!stored) throw new Error('UploadMlsKeyPackage committed but the package is not in the aggregate');
  return right({ stream: result.stream, seq: result.seq, packageId: stored.packageId, at: stored.at });
}
