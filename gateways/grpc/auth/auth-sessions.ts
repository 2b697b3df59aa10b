/**
 * AuthService RPCs: Logout, RefreshToken, ValidateToken, ListDevices,
 * RevokeDevice and DeleteAccount.
 *
 * Every call but RefreshToken is authenticated first (token signature, then the
 * session check), then validated (INVALID_REQUEST naming the field). Sessions
 * this process ends are refused by its session check at once; other processes
 * follow within about a second of the sessions view applying the revocation.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { withdrawDeviceKeys } from '../../../commands/device/device-keys.ts';
import {
  deleteAccount,
  listDevices,
  logout,
  refreshSession,
  revokeDevice,
  REFRESH_TOKEN_REUSED,
  type RefreshTokenLookup,
  type WithdrawDeviceKeys,
} from '../../../commands/account/sessions.ts';
import { STREAMS } from '../../../streams/subjects.ts';
import { authenticate, SESSION_ENDED, type SessionCheck, type CallWithAccessToken } from '../../shared/auth-context.ts';
import { errorResponse, fromDomain } from '../../shared/errors.ts';
import { unary, type ReplyOf } from '../server.ts';
import { toTimestamp } from '../timestamps.ts';
import { BoundedString, decodeRequest, Uuid } from '../../shared/validation.ts';
import type { AuthServiceDeps } from './deps.ts';
import type { DeviceInfo } from '../generated/guardyn/auth/DeviceInfo.ts';
import type { AuthServiceHandlers as Rpc } from '../generated/guardyn/auth/AuthService.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

/**
 * What every access token grants. Guardyn has one kind of user and every
 * session may do everything its user may; the list is fixed so that clients
 * and proxies can rely on the names (documented in docs/adr/0022-logout-devices-validatetoken.md).
 */
export const ACCESS_PERMISSIONS = [
  'messages:read',
  'messages:write',
  'keys:read',
  'keys:write',
  'profile:read',
] as const;

/** How long a refresh waits for the sessions view to catch up before calling an unknown token invalid. */
const REFRESH_LOOKUP_WAIT_MS = 1000;

const REFRESH_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const RefreshTokenField = new t.Type<string, string, unknown>(
  'RefreshToken',
  (u): u is string => typeof u === 'string' && REFRESH_TOKEN.test(u),
  (u, c) => {
    if (typeof u === 'string' && REFRESH_TOKEN.test(u)) return t.success(u);
    return t.failure(
      u,
      c,
      u === '' || u === undefined
        ? 'is required'
        : 'must be a refresh token: 1-256 characters of A-Z, a-z, 0-9, - and _',
    );
  },
  t.identity,
);

const LogoutRequest = t.type({ all_devices: t.boolean });
const RefreshTokenRequest = t.type({ refresh_token: RefreshTokenField });
const RevokeDeviceRequest = t.type({ device_id: Uuid });
const DeleteAccountRequest = t.type({ password: BoundedString('Password', 128, { min: 1 }) });

/**
 * Logout checks the token's signature, then asks about the session itself:
 * logging out a session that has already ended answers 0 instead of an error
 * (Logout is idempotent), while `all_devices` needs a live session.
 */
const SIGNATURE_ONLY: SessionCheck = { isActive: async () => true };

export function sessionRpcs(
  deps: AuthServiceDeps,
): Pick<Rpc, 'Logout' | 'RefreshToken' | 'ValidateToken' | 'ListDevices' | 'RevokeDevice' | 'DeleteAccount'> {
  const view = deps.sessionsView;
  const viewProgress = deps.sessionsProgress;

  /** Current and spent refresh hashes resolve to their session; a miss waits for the view to reach the stream's end once. */
  const lookup: RefreshTokenLookup = async (hash) => {
    const found = await view.byRefreshHash(hash);
    if (found !== undefined) return found;
    await viewProgress.waitFor(await deps.log.lastSeq(STREAMS.accounts), REFRESH_LOOKUP_WAIT_MS);
    return view.byRefreshHash(hash);
  };

  const withdraw: WithdrawDeviceKeys = async (userId, deviceId, correlationId) => {
    await withdrawDeviceKeys(deps, userId, deviceId, correlationId);
  };

  const ended = (userId: string, sessionIds: readonly string[]) => {
    for (const sessionId of sessionIds) deps.sessions.ended?.(sessionId, userId);
  };

  const caller = (call: CallWithAccessToken) =>
    authenticate(call, call.request.access_token, deps.tokens, deps.sessions);

  return {
    Logout: unary('auth.Logout', deps.logger, async (call, ctx): Reply<'Logout'> => {
      const who = await authenticate(call, call.request.access_token, deps.tokens, SIGNATURE_ONLY);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(LogoutRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      if (!(await deps.sessions.isActive(who.right.sessionId, who.right.userId))) {
        return req.right.all_devices
          ? { error: errorResponse('UNAUTHORIZED', SESSION_ENDED) }
          : { success: { sessions_invalidated: 0 } };
      }
      const result = await logout(deps, who.right, req.right.all_devices, { correlationId: ctx.correlationId });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      ended(who.right.userId, result.right.sessionsEnded);
      return { success: { sessions_invalidated: result.right.sessionsEnded.length } };
    }),

    RefreshToken: unary('auth.RefreshToken', deps.logger, async (call, ctx): Reply<'RefreshToken'> => {
      const req = decodeRequest(RefreshTokenRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await refreshSession({ ...deps, lookup }, deps.tokens.hashRefreshToken(req.right.refresh_token), {
        correlationId: ctx.correlationId,
      });
      if (isLeft(result)) {
        if (result.left === REFRESH_TOKEN_REUSED)
          ctx.logger.warn(
            { security: 'refresh-token-reused' },
            'a spent refresh token was presented: its session is revoked',
          );
        return { error: fromDomain(result.left) };
      }
      const r = result.right;
      const access = await deps.tokens.issueAccessToken({
        userId: r.userId,
        deviceId: r.deviceId,
        sessionId: r.sessionId,
      });
      return {
        success: {
          access_token: access.token,
          access_token_expires_in: access.expiresIn,
          refresh_token: r.refreshToken,
        },
      };
    }),

    ValidateToken: unary('auth.ValidateToken', deps.logger, async (call): Reply<'ValidateToken'> => {
      const who = await caller(call);
      if (isLeft(who)) return { error: who.left };
      const c = who.right;
      return {
        success: {
          user_id: c.userId,
          device_id: c.deviceId,
          session_id: c.sessionId,
          expires_at: toTimestamp(c.expiresAt * 1000),
          permissions: [...ACCESS_PERMISSIONS],
        },
      };
    }),

    ListDevices: unary('auth.ListDevices', deps.logger, async (call): Reply<'ListDevices'> => {
      const who = await caller(call);
      if (isLeft(who)) return { error: who.left };
      const result = await listDevices(deps, who.right);
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const devices = [...result.right.values()].sort(
        (a, b) => a.createdAt - b.createdAt || a.deviceId.localeCompare(b.deviceId),
      );
      return {
        success: {
          devices: devices.map(
            (d): DeviceInfo => ({
              device_id: d.deviceId,
              device_name: d.deviceName,
              device_type: d.deviceType,
              created_at: toTimestamp(d.createdAt),
              last_seen: null,
              is_current: d.deviceId === who.right.deviceId,
            }),
          ),
        },
      };
    }),

    RevokeDevice: unary('auth.RevokeDevice', deps.logger, async (call, ctx): Reply<'RevokeDevice'> => {
      const who = await caller(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(RevokeDeviceRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await revokeDevice({ ...deps, withdrawDeviceKeys: withdraw }, who.right, req.right.device_id, {
        correlationId: ctx.correlationId,
      });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      ended(who.right.userId, result.right.sessionsEnded);
      return { success: { device_id: req.right.device_id, sessions_invalidated: result.right.sessionsEnded.length } };
    }),

    DeleteAccount: unary('auth.DeleteAccount', deps.logger, async (call, ctx): Reply<'DeleteAccount'> => {
      const who = await caller(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(DeleteAccountRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await deleteAccount({ ...deps, withdrawDeviceKeys: withdraw }, who.right, req.right.password, {
        correlationId: ctx.correlationId,
      });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      ended(who.right.userId, [...result.right.sessionsEnded, who.right.sessionId]);
      ctx.logger.info(
        {
          userId: who.right.userId,
          devices: result.right.devicesRevoked,
          sessions: result.right.sessionsEnded.length,
        },
        'account deleted',
      );
      return {
        success: {
          user_id: who.right.userId,
          message: 'account deleted: its sessions, devices and keys are gone and its personal data is unreadable',
        },
      };
    }),
  };
}
