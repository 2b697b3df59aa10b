/**
 * Register: claim the username (its own subject, expected sequence 0), then
 * commit the account with its first device and session. Both commits carry
 * name-based command ids, so a retry is deduplicated instead of doubled.
 */
import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { KeyBundleData } from '../../streams/events/accounts.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { derivedId, newId } from '../../runtime/ids.ts';
import type { UserDataKeys } from '../data-keys.ts';
import { accountDecider } from './decider.ts';
import type { CommandHandler } from '../handler/handler.ts';
import type { DomainError } from '../handler/decider.ts';
import { usernameDecider } from './username.ts';
import { publishDeviceKeys } from '../device/device-keys.ts';
import type { RequestMeta } from '../request-meta.ts';

export interface PasswordHashing {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Takes as long as `verify`, for callers that must not reveal whether a user exists. */
  verifyDummy(password: string): Promise<false>;
}

export interface RefreshTokens {
  newRefreshToken(): { token: string; hash: string };
}

export interface AccountDeps {
  readonly handler: CommandHandler;
  readonly passwords: PasswordHashing;
  readonly refreshTokens: RefreshTokens;
  readonly refreshTokenTtlSeconds: number;
  /** Per-user data keys: personal fields are sealed before they reach the log. */
  readonly dataKeys: UserDataKeys;
}

export interface DeviceInput {
  readonly deviceName: string;
  readonly deviceType: string;
  readonly keyBundle: KeyBundleData | null;
}

export interface RegisterInput extends DeviceInput {
  readonly username: string;
  readonly password: string;
  readonly email: string;
}

/** What a new session hands back: the gateway turns it into tokens. */
export interface SessionGrant {
  readonly userId: string;
  readonly deviceId: string;
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly refreshExpiresAt: number;
  readonly at: number;
  readonly stream: string;
  readonly seq: number;
}

export function newSession(
  deps: AccountDeps,
  at: number,
): { session: { sessionId: string; refreshTokenHash: string; expiresAt: number }; refreshToken: string } {
  const refresh = deps.refreshTokens.newRefreshToken();
  return {
    session: { sessionId: newId(), refreshTokenHash: refresh.hash, expiresAt: at + deps.refreshTokenTtlSeconds * 1000 },
    refreshToken: refresh.token,
  };
}

export async function register(
  deps: AccountDeps,
  input: RegisterInput,
  meta: RequestMeta,
): Promise<Either<DomainError, SessionGrant>> {
  const at = Date.now();
  const userId = newId();
  const deviceId = newId();
  const passwordHash = await deps.passwords.hash(input.password);
  const claim = await deps.handler.handle({
    stream: STREAMS.accounts,
    subject: subjects.username(input.username),
    decider: usernameDecider,
    command: { kind: 'ClaimUsername', username: input.username, userId, at },
    meta: {
      commandId: derivedId('claim-username', input.username.toLowerCase(), userId),
      command: 'ClaimUsername',
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      actor: null,
      at,
    },
  });
  if (isLeft(claim)) return claim;
  // The data key exists before anything sealed with it is committed.
  await deps.dataKeys.create(userId);
  const seal = (text: string) => deps.dataKeys.seal(userId, text);
  const { session, refreshToken } = newSession(deps, at);
  const registered = await deps.handler.handle({
    stream: STREAMS.accounts,
    subject: subjects.user(userId),
    decider: accountDecider,
    command: {
      kind: 'RegisterUser',
      userId,
      username: await seal(input.username),
      email: await seal(input.email),
      passwordHash: await seal(passwordHash),
      device: {
        deviceId,
        deviceName: await seal(input.deviceName),
        deviceType: input.deviceType,
        keyBundle: input.keyBundle,
      },
      session,
      at,
    },
    meta: {
      commandId: derivedId('register', userId),
      command: 'RegisterUser',
      correlationId: meta.correlationId,
      causationId: claim.right.events.length ? `${claim.right.stream}:${claim.right.seq}` : meta.correlationId,
      actor: null,
      at,
    },
  });
  if (isLeft(registered)) return registered;
  const keys = await publishDeviceKeys(deps, { userId, deviceId, keyBundle: input.keyBundle, at }, meta);
  if (isLeft(keys)) return keys;
  return right({
    userId,
    deviceId,
    sessionId: session.sessionId,
    refreshToken,
    refreshExpiresAt: session.expiresAt,
    at,
    stream: registered.right.stream,
    seq: registered.right.seq,
  });
}
