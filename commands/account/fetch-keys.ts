/**
 * Fetching a device's keys hands them out: GetKeyBundle consumes one one-time
 * pre-key and GetMlsKeyPackage one key package, each as a command on the
 * device-keys aggregate, so concurrent callers (in any process) never receive
 * the same key. The keys view is never consulted for these decisions.
 *
 * It sits with the account use cases because it reads the account first (the
 * user's active devices): the device folder stays below the account folder
 * (Register and Login publish device keys), so the two never import each other.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { accountDecider } from './decider.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import { NO_KEY_PACKAGE, NOT_PUBLISHED, type DeviceKeysEvent, type PublishedBundle } from '../device/decider.ts';
import { runDeviceKeysCommand, type CallerDevice, type DeviceKeysDeps } from '../device/device-keys.ts';

export interface FetchedBundle extends PublishedBundle {
  readonly userId: string;
  readonly deviceId: string;
  /** The one-time pre-key handed out with this bundle; undefined when none was left. */
  readonly oneTimePreKey: { readonly keyId: number; readonly key: Uint8Array } | undefined;
}

export interface FetchedBundles {
  /** The asked-for device, or with no device named, the primary one (the oldest active device with keys). */
  readonly primary: FetchedBundle;
  /** With no device named: one bundle per active device with keys, oldest device first; else empty. */
  readonly all: readonly FetchedBundle[];
}

interface ActiveDevice {
  readonly deviceId: string;
  readonly createdAt: number;
}

/** The user's active devices, oldest first; undefined when the user does not exist (or was deleted). */
async function activeDevices(deps: DeviceKeysDeps, userId: string): Promise<ActiveDevice[] | undefined> {
  const { state } = await deps.handler.load(STREAMS.accounts, subjects.user(userId), accountDecider);
  if (!state.registered || state.deleted) return undefined;
  return [...state.devices.values()]
    .map((d) => ({ deviceId: d.deviceId, createdAt: d.createdAt }))
    .sort((a, b) => a.createdAt - b.createdAt || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
}

const UNKNOWN_USER = domainError('NOT_FOUND', 'unknown user', 'user_id');
const UNKNOWN_DEVICE = domainError('NOT_FOUND', 'unknown device', 'device_id');

/**
 * A refusal of the device-keys aggregate, made precise: a device whose
 * aggregate holds nothing is told apart from a device (or user) that does not
 * exist by the account.
 */
async function explainMissing(
  deps: DeviceKeysDeps,
  userId: string,
  deviceId: string,
  refusal: DomainError,
  empty: boolean,
): Promise<DomainError> {
  if (refusal.code !== 'NOT_FOUND' || !empty) return refusal;
  const devices = await activeDevices(deps, userId);
  if (!devices) return UNKNOWN_USER;
  if (!devices.some((d) => d.deviceId === deviceId)) return UNKNOWN_DEVICE;
  return refusal;
}

/** Consumes one one-time pre-key of one device (if any is left) and returns its bundle. */
async function consumeBundle(
  deps: DeviceKeysDeps,
  caller: CallerDevice,
  userId: string,
  deviceId: string,
  correlationId: string,
): Promise<Either<DomainError, FetchedBundle>> {
  const decided = await runDeviceKeysCommand(
    deps,
    userId,
    deviceId,
    { kind: 'ConsumeOneTimePreKey', byUserId: caller.userId, at: Date.now() },
    'ConsumeOneTimePreKey',
    { correlationId, actor: caller },
  );
  if (isLeft(decided)) return decided;
  const { before, result } = decided.right;
  if (!before.bundle) throw new Error(`ConsumeOneTimePreKey on ${userId}/${deviceId} decided without a bundle`);
  const consumed = (result.events as readonly DeviceKeysEvent[]).find((e) => e.type === 'OneTimePreKeyConsumed');
  let oneTimePreKey: FetchedBundle['oneTimePreKey'];
  if (consumed?.type === 'OneTimePreKeyConsumed') {
    const key = before.oneTimePreKeys.get(consumed.data.keyId);
    if (!key)
      throw new Error(
        `one-time pre-key ${consumed.data.keyId} of ${userId}/${deviceId} was consumed but is not in the aggregate`,
      );
    oneTimePreKey = { keyId: consumed.data.keyId, key };
  }
  return right({ userId, deviceId, ...before.bundle, oneTimePreKey });
}

/**
 * GetKeyBundle. With a device id: that device's bundle with one one-time
 * pre-key. Without: one bundle per active device of the user that published
 * keys (each consuming one of its one-time pre-keys), the oldest device being
 * the primary one.
 */
export async function fetchKeyBundle(
  deps: DeviceKeysDeps,
  caller: CallerDevice,
  target: { readonly userId: string; readonly deviceId: string | undefined },
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, FetchedBundles>> {
  const { userId, deviceId } = target;
  if (deviceId !== undefined) {
    const one = await consumeBundle(deps, caller, userId, deviceId, meta.correlationId);
    if (isLeft(one)) {
      const unpublished = one.left.message === NOT_PUBLISHED;
      const refusal = await explainMissing(deps, userId, deviceId, one.left, unpublished);
      return left(
        refusal.message === NOT_PUBLISHED
          ? domainError('NOT_FOUND', `${NOT_PUBLISHED}: it cannot be reached by X3DH yet`, 'device_id')
          : refusal,
      );
    }
    return right({ primary: one.right, all: [] });
  }
  const devices = await activeDevices(deps, userId);
  if (!devices) return left(UNKNOWN_USER);
  const fetched = await Promise.all(
    devices.map((d) => consumeBundle(deps, caller, userId, d.deviceId, meta.correlationId)),
  );
  const all: FetchedBundle[] = [];
  for (const f of fetched) {
    if (!isLeft(f)) all.push(f.right);
    else if (f.left.code !== 'NOT_FOUND') return f; // devices without keys (never published, withdrawn) are left out
  }
  const primary = all[0];
  if (!primary) return left(domainError('NOT_FOUND', 'no device of this user has published a key bundle', 'user_id'));
  return right({ primary, all });
}

export interface FetchedKeyPackage {
  readonly userId: string;
  readonly deviceId: string;
  readonly packageId: string;
  readonly keyPackage: Uint8Array;
}

/** GetMlsKeyPackage: hands out (and consumes) the device's oldest unused key package. */
export async function fetchMlsKeyPackage(
  deps: DeviceKeysDeps,
  caller: CallerDevice,
  target: { readonly userId: string; readonly deviceId: string },
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, FetchedKeyPackage>> {
  const { userId, deviceId } = target;
  const decided = await runDeviceKeysCommand(
    deps,
    userId,
    deviceId,
    { kind: 'ConsumeMlsKeyPackage', byUserId: caller.userId, at: Date.now() },
    'ConsumeMlsKeyPackage',
    { correlationId: meta.correlationId, actor: caller },
  );
  if (isLeft(decided)) {
    // "None left" and "never had one" read alike on the aggregate; the account tells an unknown device apart.
    return left(await explainMissing(deps, userId, deviceId, decided.left, decided.left.message === NO_KEY_PACKAGE));
  }
  const { before, result } = decided.right;
  const consumed = (result.events as readonly DeviceKeysEvent[]).find((e) => e.type === 'MlsKeyPackageConsumed');
  if (consumed?.type !== 'MlsKeyPackageConsumed')
    throw new Error(`ConsumeMlsKeyPackage on ${userId}/${deviceId} committed no consumption`);
  const stored = before.mlsKeyPackages.get(consumed.data.packageId);
  if (!stored)
    throw new Error(
      `key package ${consumed.data.packageId} of ${userId}/${deviceId} was consumed but is not in the aggregate`,
    );
  return right({ userId, deviceId, packageId: stored.packageId, keyPackage: stored.keyPackage });
}
