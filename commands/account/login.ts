/**
 * Login: find the user by username, verify the password against the account's
 * hash, then start a session (registering the device first when it is new).
 * An unknown user and a wrong password answer alike and take the same time.
 *
 * With `registeredDeviceOnly` (the account is over its failed-login limit, see
 * gateways/limits/auth-limits.ts) only a device already registered to the
 * account may log in: any other device id answers exactly like a wrong
 * password, after the same work (a password check against a dummy hash).
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { derivedId, newId } from '../../runtime/ids.ts';
import { accountDecider } from './decider.ts';
import { openAccount, type OpenedAccount } from './sessions.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import { newSession, type AccountDeps, type DeviceInput, type SessionGrant } from './register.ts';
import type { RequestMeta } from '../request-meta.ts';
import type { UserDirectory } from './user-directory.ts';
import { publishDeviceKeys } from '../device/device-keys.ts';

export interface LoginInput extends DeviceInput {
  readonly username: string;
  readonly password: string;
  /** Empty: a new device. */
  readonly deviceId: string;
}

export interface LoginResult extends SessionGrant {
  /** The account with its sealed fields opened (profile, devices). */
  readonly account: OpenedAccount;
}

const BAD_CREDENTIALS = domainError('UNAUTHORIZED', 'invalid username or password');

export interface LoginOptions {
  /** Refuse (as a wrong password) every device id not registered to the account. */
  readonly registeredDeviceOnly?: boolean;
}

export async function login(
  deps: AccountDeps & { directory: UserDirectory },
  input: LoginInput,
  meta: RequestMeta,
  options: LoginOptions = {},
): Promise<Either<DomainError, LoginResult>> {
  const userId = await deps.directory.idByUsername(input.username);
  if (!userId) {
    await deps.passwords.verifyDummy(input.password);
    return left(BAD_CREDENTIALS);
  }
  const subject = subjects.user(userId);
  const loaded = await deps.handler.load(STREAMS.accounts, subject, accountDecider);
  // The stored hash is sealed with the user's data key; a deleted account has none to open.
  const passwordHash =
    loaded.state.registered && !loaded.state.deleted
      ? await deps.dataKeys.open(userId, loaded.state.passwordHash)
      : undefined;
  const deviceAllowed = options.registeredDeviceOnly !== true || loaded.state.devices.has(input.deviceId);
  if (passwordHash === undefined || !deviceAllowed) {
    await deps.passwords.verifyDummy(input.password);
    return left(BAD_CREDENTIALS);
  }
  if (!(await deps.passwords.verify(passwordHash, input.password))) return left(BAD_CREDENTIALS);

  const at = Date.now();
  const deviceId = input.deviceId || newId();
  const known = loaded.state.devices.has(deviceId);
  const { session, refreshToken } = newSession(deps, at);
  const result = await deps.handler.handle({
    stream: STREAMS.accounts,
    subject,
    decider: accountDecider,
    command: {
      kind: 'StartSession',
      userId,
      deviceId,
      session,
      at,
      newDevice: known
        ? undefined
        : {
            deviceId,
            deviceName: await deps.dataKeys.seal(userId, input.deviceName),
            deviceType: input.deviceType,
            keyBundle: input.keyBundle,
          },
    },
    meta: {
      commandId: derivedId('start-session', session.sessionId),
      command: 'StartSession',
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      actor: { userId, deviceId },
      at,
    },
  });
  if (isLeft(result)) return result;
  const keys = known
    ? right(null)
    : await publishDeviceKeys(deps, { userId, deviceId, keyBundle: input.keyBundle, at }, meta);
  if (isLeft(keys)) return keys;
  const account = await openAccount(
    deps.dataKeys,
    (await deps.handler.load(STREAMS.accounts, subject, accountDecider)).state,
  );
  return right({
    userId,
    deviceId,
    sessionId: session.sessionId,
    refreshToken,
    refreshExpiresAt: session.expiresAt,
    at,
    stream: result.right.stream,
    seq: result.right.seq,
    account,
  });
}
