/**
 * guardyn.auth.AuthService on :50051: Register, Login and Health here; the
 * session, key and directory RPCs in auth-sessions.ts, auth-keys.ts and
 * auth-directory.ts, merged into one service implementation.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { register } from '../../../commands/account/register.ts';
import { login } from '../../../commands/account/login.ts';
import { fromDomain } from '../../shared/errors.ts';
import { healthRpc } from '../health.ts';
import { KeyBundleRequest, toKeyBundleData } from './key-bundle.ts';
import { unary, type ReplyOf } from '../server.ts';
import { toTimestamp } from '../timestamps.ts';
import {
  BoundedString,
  DeviceName,
  decodeRequest,
  Email,
  LoginPassword,
  LoginUsername,
  OptionalUuid,
  Password,
  Username,
} from '../../shared/validation.ts';
import type { AuthServiceDeps } from './deps.ts';
import { sessionRpcs } from './auth-sessions.ts';
import { keyRpcs } from './auth-keys.ts';
import { directoryRpcs } from './auth-directory.ts';
import type { DeviceInfo } from '../generated/guardyn/auth/DeviceInfo.ts';
import type { AuthServiceHandlers as Rpc } from '../generated/guardyn/auth/AuthService.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

const DeviceType = BoundedString('DeviceType', 32, { rejectControl: true });

const RegisterRequest = t.type({
  username: Username,
  password: Password,
  email: Email,
  device_name: DeviceName,
  device_type: DeviceType,
  key_bundle: KeyBundleRequest,
});

const LoginRequest = t.type({
  username: LoginUsername,
  password: LoginPassword,
  device_id: OptionalUuid,
  device_name: DeviceName,
  device_type: DeviceType,
  key_bundle: KeyBundleRequest,
});

export function authServiceImplementation(deps: AuthServiceDeps): Rpc {
  const { limits } = deps;
  const tokenReply = async (grant: {
    userId: string;
    deviceId: string;
    sessionId: string;
    refreshToken: string;
    refreshExpiresAt: number;
    at: number;
    stream: string;
    seq: number;
  }) => {
    const access = await deps.tokens.issueAccessToken({
      userId: grant.userId,
      deviceId: grant.deviceId,
      sessionId: grant.sessionId,
    });
    return {
      user_id: grant.userId,
      device_id: grant.deviceId,
      access_token: access.token,
      access_token_expires_in: access.expiresIn,
      refresh_token: grant.refreshToken,
      refresh_token_expires_in: Math.max(0, Math.round((grant.refreshExpiresAt - grant.at) / 1000)),
      consistency: { stream: grant.stream, seq: String(grant.seq) },
    };
  };

  return {
    Register: unary('auth.Register', deps.logger, async (call, ctx): Reply<'Register'> => {
      const req = decodeRequest(RegisterRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const throttled = limits.beginRegistration(call);
      if (throttled !== undefined) return { error: throttled };
      const r = req.right;
      const result = await register(
        deps,
        {
          username: r.username,
          password: r.password,
          email: r.email,
          deviceName: r.device_name,
          deviceType: r.device_type,
          keyBundle: toKeyBundleData(r.key_bundle),
        },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      return { success: { ...(await tokenReply(result.right)), created_at: toTimestamp(result.right.at) } };
    }),

    Login: unary('auth.Login', deps.logger, async (call, ctx): Reply<'Login'> => {
      const req = decodeRequest(LoginRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const gate = limits.beginLogin(call, r.username, (r.device_id ?? '') === '');
      if (gate.refused !== undefined) return { error: gate.refused };
      const result = await gate.track(
        login(
          deps,
          {
            username: r.username,
            password: r.password,
            deviceId: r.device_id ?? '',
            deviceName: r.device_name,
            deviceType: r.device_type,
            keyBundle: toKeyBundleData(r.key_bundle),
          },
          { correlationId: ctx.correlationId },
          { registeredDeviceOnly: gate.registeredDeviceOnly },
        ),
      );
      if (isLeft(result)) return { error: gate.failure(result.left) };
      const g = result.right;
      const account = g.account;
      return {
        success: {
          ...(await tokenReply(g)),
          profile: {
            user_id: account.userId,
            username: account.username,
            email: account.email,
            created_at: toTimestamp(account.createdAt),
            last_seen: toTimestamp(g.at),
          },
          devices: [...account.devices.values()].map(
            (d): DeviceInfo => ({
              device_id: d.deviceId,
              device_name: d.deviceName,
              device_type: d.deviceType,
              created_at: toTimestamp(d.createdAt),
              last_seen: d.deviceId === g.deviceId ? toTimestamp(g.at) : null,
              is_current: d.deviceId === g.deviceId,
            }),
          ),
        },
      };
    }),

    Health: healthRpc('auth.Health', deps.logger, deps.health),
    ...sessionRpcs(deps),
    ...keyRpcs(deps),
    ...directoryRpcs(deps),
  };
}
