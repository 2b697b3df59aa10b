/**
 * The writes on the device-keys aggregate (./decider.ts) that other modules
 * call: `publishDeviceKeys` (Register, Login on a new device),
 * `withdrawDeviceKeys` (device revoked, account deleted) and the owner's
 * uploads and rotation. Fetching (consuming) keys is in ../account/fetch-keys.ts.
 */
import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { KeyBundleData } from '../../streams/events/accounts.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { derivedId, newId } from '../../runtime/ids.ts';
import { fold, type DomainError } from '../handler/decider.ts';
import type { CommandHandler, CommandResult } from '../handler/handler.ts';
import {
  deviceKeysDecider,
  sameBytes,
  type DeviceKeysCommand,
  type DeviceKeysEvent,
  type DeviceKeysState,
} from './decider.ts';

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
