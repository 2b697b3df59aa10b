/**
 * Session and account-lifecycle use cases on the account aggregate: refresh
 * (single-use rotation with reuse detection), logout, device revocation,
 * account deletion with crypto-shredding, and the caller's device list.
 *
 * The gateway authenticates the caller and hands over who they are; these
 * functions load, decide and append through the CommandHandler like every
 * other command.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { derivedId, newId } from '../../runtime/ids.ts';
import type { UserDataKeys } from '../data-keys.ts';
import { accountDecider, endedSessions, type AccountCommand, type AccountEvent, type AccountState } from './decider.ts';
import type { CommandHandler } from '../handler/handler.ts';
import type { PasswordHashing, RefreshTokens } from './register.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import type { RequestMeta } from '../request-meta.ts';

/** Where a refresh-token hash leads: the session it belongs (or belonged) to. */
export interface RefreshTokenLookup {
  (refreshTokenHash: string): Promise<{ readonly sessionId: string; readonly userId: string } | undefined>;
}

export interface SessionDeps {
  readonly handler: CommandHandler;
  readonly refreshTokens: RefreshTokens;
  readonly refreshTokenTtlSeconds: number;
  readonly passwords: PasswordHashing;
  readonly dataKeys: UserDataKeys;
}

/** The authenticated caller. */
export interface Caller {
  readonly userId: string;
  readonly deviceId: string;
  readonly sessionId: string;
}

export interface Committed {
  readonly stream: string;
  readonly seq: number;
}

const INVALID_REFRESH = domainError('UNAUTHORIZED', 'invalid refresh token');
const WRONG_PASSWORD = domainError('UNAUTHORIZED', 'wrong password', 'password');
/** The answer to a spent refresh token (after its session was revoked). */
export const REFRESH_TOKEN_REUSED = domainError(
  'UNAUTHORIZED',
  'refresh token was already used: the session has been ended, log in again',
);

function run(
  deps: SessionDeps,
  userId: string,
  command: AccountCommand,
  name: string,
  meta: RequestMeta,
  actor: Caller | null,
) {
  return deps.handler.handle({
    stream: STREAMS.accounts,
    subject: subjects.user(userId),
    decider: accountDecider,
    command,
    meta: {
      commandId: newId(),
      command: name,
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      actor: actor === null ? null : { userId: actor.userId, deviceId: actor.deviceId },
      at: command.at,
    },
  });
}

/**
 * What the log says of a session: its user's subject on the ACCOUNTS stream
 * (through the handler's cache, caught up from the stream). `unknown`: the
 * subject holds no such session of this user, so it never existed. Asked by
 * the session check about sessions the sessions view has not seen yet.
 */
export async function sessionOnLog(
  handler: CommandHandler,
  sessionId: string,
  userId: string,
): Promise<'active' | 'ended' | 'unknown'> {
  let subject: string;
  try {
    subject = subjects.user(userId);
  } catch {
    return 'unknown';
  }
  const { state } = await handler.load(STREAMS.accounts, subject, accountDecider);
  const session = state.sessions.get(sessionId);
  if (session === undefined || state.userId !== userId) return 'unknown';
  return session.revoked || state.deleted ? 'ended' : 'active';
}

export interface Refreshed extends Committed {
  readonly userId: string;
  readonly deviceId: string;
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly refreshExpiresAt: number;
}

/**
 * Trades a refresh token (given by its hash) for a new one. A token that was
 * already traded in ends its whole session (SessionRevoked 'refresh-reuse' +
 * RefreshTokenReused) and is refused; so is one of a revoked or expired session.
 * Every attempt gets a fresh command id: a client that retries a refresh whose
 * answer it lost is, by design, indistinguishable from a thief (see docs/adr/0020-refresh-tokens-single-use-rotation-a-spent-token-ends.md).
 */
export async function refreshSession(
  deps: SessionDeps & { readonly lookup: RefreshTokenLookup },
  presentedHash: string,
  meta: RequestMeta,
): Promise<Either<DomainError, Refreshed>> {
  const ref = await deps.lookup(presentedHash);
  if (ref === undefined) return left(INVALID_REFRESH);
  const at = Date.now();
  const next = deps.refreshTokens.newRefreshToken();
  const expiresAt = at + deps.refreshTokenTtlSeconds * 1000;
  const result = await run(
    deps,
    ref.userId,
    {
      kind: 'RefreshSession',
      sessionId: ref.sessionId,
      presentedHash,
      next: { refreshTokenHash: next.hash, expiresAt },
      at,
    },
    'RefreshSession',
    meta,
    null,
  );
  if (isLeft(result)) return result;
  const events = result.right.events as readonly AccountEvent[];
  if (events.some((e) => e.type === 'RefreshTokenReused')) return left(REFRESH_TOKEN_REUSED);
  const refreshed = events.find((e) => e.type === 'SessionRefreshed');
  if (refreshed === undefined || refreshed.type !== 'SessionRefreshed' || refreshed.data.refreshTokenHash !== next.hash)
    return left(INVALID_REFRESH);
  const account = (await deps.handler.load(STREAMS.accounts, subjects.user(ref.userId), accountDecider)).state;
  const session = account.sessions.get(ref.sessionId);
  if (session === undefined) return left(INVALID_REFRESH);
  return right({
    userId: ref.userId,
    deviceId: session.deviceId,
    sessionId: ref.sessionId,
    refreshToken: next.token,
    refreshExpiresAt: expiresAt,
    stream: result.right.stream,
    seq: result.right.seq,
  });
}

export interface Ended extends Committed {
  /** Sessions that were live and are now revoked. */
  readonly sessionsEnded: readonly string[];
}

/** Ends the caller's session, or with `allDevices` every live session of the user. */
export async function logout(
  deps: SessionDeps,
  caller: Caller,
  allDevices: boolean,
  meta: RequestMeta,
): Promise<Either<DomainError, Ended>> {
  const result = await run(
    deps,
    caller.userId,
    { kind: 'EndSessions', scope: allDevices ? 'all' : { sessionId: caller.sessionId }, at: Date.now() },
    allDevices ? 'LogoutAll' : 'Logout',
    meta,
    caller,
  );
  if (isLeft(result)) return result;
  return right({
    sessionsEnded: endedSessions(result.right.events as readonly AccountEvent[]),
    stream: result.right.stream,
    seq: result.right.seq,
  });
}

/** Withdraws a revoked device's published keys (the device-keys module does it). */
export type WithdrawDeviceKeys = (userId: string, deviceId: string, correlationId: string) => Promise<void>;

/**
 * Revokes one of the caller's devices: its live sessions end, its keys are
 * withdrawn. A device of another user is NOT_FOUND, exactly like an unknown one.
 */
export async function revokeDevice(
  deps: SessionDeps & { readonly withdrawDeviceKeys: WithdrawDeviceKeys },
  caller: Caller,
  deviceId: string,
  meta: RequestMeta,
): Promise<Either<DomainError, Ended>> {
  const result = await run(
    deps,
    caller.userId,
    { kind: 'RevokeDevice', deviceId, at: Date.now() },
    'RevokeDevice',
    meta,
    caller,
  );
  if (isLeft(result)) return result;
  await deps.withdrawDeviceKeys(caller.userId, deviceId, meta.correlationId);
  return right({
    sessionsEnded: endedSessions(result.right.events as readonly AccountEvent[]),
    stream: result.right.stream,
    seq: result.right.seq,
  });
}

/**
 * Deletes the caller's account after re-checking the password: every live
 * session and every device is revoked and the account marked deleted (one
 * commit), then `finishDeletion` shreds the data and withdraws the devices'
 * keys. The username claim stays: a deleted name is never handed out again.
 */
export async function deleteAccount(
  deps: SessionDeps & { readonly withdrawDeviceKeys: WithdrawDeviceKeys },
  caller: Caller,
  password: string,
  meta: RequestMeta,
): Promise<Either<DomainError, Ended & { readonly devicesRevoked: number }>> {
  const subject = subjects.user(caller.userId);
  const loaded = await deps.handler.load(STREAMS.accounts, subject, accountDecider);
  const hash =
    loaded.state.registered && !loaded.state.deleted
      ? await deps.dataKeys.open(caller.userId, loaded.state.passwordHash)
      : undefined;
  if (hash === undefined) {
    await deps.passwords.verifyDummy(password);
    return left(WRONG_PASSWORD);
  }
  if (!(await deps.passwords.verify(hash, password))) return left(WRONG_PASSWORD);

  const deleted = await run(
    deps,
    caller.userId,
    { kind: 'DeleteAccount', at: Date.now() },
    'DeleteAccount',
    meta,
    caller,
  );
  if (isLeft(deleted)) return deleted;
  const events = deleted.right.events as readonly AccountEvent[];
  const devices = events.flatMap((e) => (e.type === 'DeviceRevoked' ? [e.data.deviceId] : []));
  const finished = await finishDeletion(deps, caller.userId, devices, meta);
  if (isLeft(finished)) return finished;
  return right({ ...finished.right, devicesRevoked: devices.length, sessionsEnded: endedSessions(events) });
}

/**
 * The part of a deletion after AccountDeleted is committed, in order of
 * importance: destroy the user's data key (from here on nothing personal of
 * the user can be read, in any replay), record UserDataKeyDestroyed, then
 * withdraw the devices' keys. Idempotent, so it can be run again for an account
 * whose deletion was interrupted (AccountDeleted without UserDataKeyDestroyed
 * on its subject).
 */
export async function finishDeletion(
  deps: Pick<SessionDeps, 'handler' | 'dataKeys'> & { readonly withdrawDeviceKeys: WithdrawDeviceKeys },
  userId: string,
  deviceIds: readonly string[],
  meta: RequestMeta,
): Promise<Either<DomainError, Committed>> {
  await deps.dataKeys.destroy(userId);
  const audit = await deps.handler.handle({
    stream: STREAMS.accounts,
    subject: subjects.user(userId),
    decider: accountDecider,
    command: { kind: 'RecordDataKeyDestroyed', at: Date.now() },
    meta: {
      commandId: derivedId('data-key-destroyed', userId),
      command: 'RecordDataKeyDestroyed',
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      actor: null,
    },
  });
  if (isLeft(audit)) return audit;
  for (const deviceId of deviceIds) await deps.withdrawDeviceKeys(userId, deviceId, meta.correlationId);
  return right({ stream: audit.right.stream, seq: audit.right.seq });
}

/** An account with its personal fields opened (REDACTED where the data key is gone). */
export interface OpenedAccount {
  readonly userId: string;
  readonly username: string;
  readonly email: string;
  readonly createdAt: number;
  readonly devices: ReadonlyMap<
    string,
    { readonly deviceId: string; readonly deviceName: string; readonly deviceType: string; readonly createdAt: number }
  >;
}

export async function openAccount(dataKeys: UserDataKeys, state: AccountState): Promise<OpenedAccount> {
  const devices = new Map<string, { deviceId: string; deviceName: string; deviceType: string; createdAt: number }>();
  for (const d of state.devices.values()) {
    devices.set(d.deviceId, {
      deviceId: d.deviceId,
      deviceName: await dataKeys.openOrRedacted(state.userId, d.deviceName),
      deviceType: d.deviceType,
      createdAt: d.createdAt,
    });
  }
  return {
    userId: state.userId,
    username: await dataKeys.openOrRedacted(state.userId, state.username),
    email: await dataKeys.openOrRedacted(state.userId, state.email),
    createdAt: state.createdAt,
    devices,
  };
}

/** The caller's active devices, opened, oldest first. */
export async function listDevices(
  deps: Pick<SessionDeps, 'handler' | 'dataKeys'>,
  caller: Caller,
): Promise<Either<DomainError, OpenedAccount['devices']>> {
  const loaded = await deps.handler.load(STREAMS.accounts, subjects.user(caller.userId), accountDecider);
  if (!loaded.state.registered || loaded.state.deleted) return left(domainError('NOT_FOUND', 'no such account'));
  return right((await openAccount(deps.dataKeys, loaded.state)).devices);
}
