/**
 * Push-token use cases on the device aggregate: the device registers (or
 * replaces) its token and removes it; the push worker removes a token the
 * provider rejected, naming the token it tried so a newer registration stays.
 */
import { createHash } from 'node:crypto';
import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { UserDataKeys } from '../data-keys.ts';
import type { PushEnvironment, PushPlatform } from '../../streams/events/push.ts';
import type { DomainError } from '../handler/decider.ts';
import { runDeviceKeysCommand, type CallerDevice, type DeviceKeysDeps, type KeysCommit } from './device-keys.ts';

export const pushTokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface PushTokenDeps extends DeviceKeysDeps {
  readonly dataKeys: UserDataKeys;
}

export interface PushTokenInput {
  readonly platform: PushPlatform;
  readonly token: string;
  readonly environment: PushEnvironment;
  readonly showSender: boolean;
}

export interface PushTokenChange extends KeysCommit {
  /** False when nothing changed (the same registration again, or no token to remove). */
  readonly changed: boolean;
}

export async function registerPushToken(
  deps: PushTokenDeps,
  caller: CallerDevice,
  input: PushTokenInput,
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, PushTokenChange>> {
  const sealed = await deps.dataKeys.seal(caller.userId, input.token);
  const decided = await runDeviceKeysCommand(
    deps,
    caller.userId,
    caller.deviceId,
    {
      kind: 'RegisterPushToken',
      platform: input.platform,
      token: sealed,
      tokenHash: pushTokenHash(input.token),
      environment: input.environment,
      showSender: input.showSender,
      at: Date.now(),
    },
    'RegisterPushToken',
    { correlationId: meta.correlationId, actor: caller },
  );
  if (isLeft(decided)) return decided;
  const { result } = decided.right;
  return right({ stream: result.stream, seq: result.seq, changed: result.events.length > 0 });
}

/** The device removes its own token (it signed out of pushes). */
export async function unregisterPushToken(
  deps: DeviceKeysDeps,
  caller: CallerDevice,
  meta: { readonly correlationId: string },
): Promise<Either<DomainError, PushTokenChange>> {
  const decided = await runDeviceKeysCommand(
    deps,
    caller.userId,
    caller.deviceId,
    { kind: 'RemovePushToken', tokenHash: undefined, reason: 'unregistered', at: Date.now() },
    'UnregisterPushToken',
    { correlationId: meta.correlationId, actor: caller },
  );
  if (isLeft(decided)) return decided;
  const { result } = decided.right;
  return right({ stream: result.stream, seq: result.seq, changed: result.events.length > 0 });
}

/**
 * The provider rejected `tokenHash` as invalid: remove it unless the device
 * registered another token since. A device that is gone has no token left:
 * also fine. Throws only infrastructure errors.
 */
export async function removeRejectedPushToken(
  deps: DeviceKeysDeps,
  device: CallerDevice,
  tokenHash: string,
  correlationId: string,
): Promise<boolean> {
  const decided = await runDeviceKeysCommand(
    deps,
    device.userId,
    device.deviceId,
    { kind: 'RemovePushToken', tokenHash, reason: 'provider-rejected', at: Date.now() },
    'RemoveRejectedPushToken',
    { correlationId, actor: null },
  );
  return !isLeft(decided) && decided.right.result.events.length > 0;
}
