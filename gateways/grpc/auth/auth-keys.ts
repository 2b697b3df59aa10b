/**
 * AuthService RPCs: GetKeyBundle, UploadPreKeys, UploadMlsKeyPackage,
 * GetMlsKeyPackage, RotateSignedPreKey.
 *
 * Every call is authenticated first (GetKeyBundle and GetMlsKeyPackage have no
 * access_token field: the `authorization` metadata only), then validated.
 * Fetching hands keys out through the device-keys aggregate, so a one-time
 * pre-key or key package goes to exactly one caller.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  MAX_KEY_BYTES,
  MAX_MLS_KEY_PACKAGE_BYTES,
  MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD,
} from '../../../commands/device/decider.ts';
import { rotateSignedPreKey, uploadMlsKeyPackage, uploadOneTimePreKeys } from '../../../commands/device/device-keys.ts';
import { fetchKeyBundle, fetchMlsKeyPackage, type FetchedBundle } from '../../../commands/account/fetch-keys.ts';
import type { AuthServiceDeps } from './deps.ts';
import { authenticate } from '../../shared/auth-context.ts';
import { fromDomain } from '../../shared/errors.ts';
import { unary, type ReplyOf } from '../server.ts';
import { toTimestamp } from '../timestamps.ts';
import { BoundedArray, BoundedBytes, decodeRequest, OptionalUuid, Uuid } from '../../shared/validation.ts';
import type { KeyBundle } from '../generated/guardyn/common/KeyBundle.ts';
import type { DeviceKeyBundle } from '../generated/guardyn/auth/DeviceKeyBundle.ts';
import type { AuthServiceHandlers as Rpc } from '../generated/guardyn/auth/AuthService.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

const Key = BoundedBytes(MAX_KEY_BYTES, { min: 1 });

const GetKeyBundleRequest = t.type({ user_id: Uuid, device_id: OptionalUuid });
const UploadPreKeysRequest = t.type({ one_time_pre_keys: BoundedArray(Key, MAX_ONE_TIME_PRE_KEYS_PER_UPLOAD, 1) });
const RotateSignedPreKeyRequest = t.type({ signed_pre_key: Key, signed_pre_key_signature: Key });
const UploadMlsKeyPackageRequest = t.type({ key_package: BoundedBytes(MAX_MLS_KEY_PACKAGE_BYTES, { min: 1 }) });
const GetMlsKeyPackageRequest = t.type({ user_id: Uuid, device_id: Uuid });

const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** guardyn.common.KeyBundle of a fetched bundle: at most one one-time pre-key. */
function keyBundleMessage(b: FetchedBundle): KeyBundle {
  return {
    identity_key: buf(b.identityKey),
    signed_pre_key: buf(b.signedPreKey),
    signed_pre_key_signature: buf(b.signedPreKeySignature),
    one_time_pre_keys: b.oneTimePreKey ? [buf(b.oneTimePreKey.key)] : [],
    created_at: toTimestamp(b.publishedAt),
  };
}

export function keyRpcs(
  deps: AuthServiceDeps,
): Pick<Rpc, 'GetKeyBundle' | 'UploadPreKeys' | 'RotateSignedPreKey' | 'UploadMlsKeyPackage' | 'GetMlsKeyPackage'> {
  return {
    GetKeyBundle: unary('auth.GetKeyBundle', deps.logger, async (call, ctx): Reply<'GetKeyBundle'> => {
      const who = await authenticate(call, undefined, deps.tokens, deps.sessions);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetKeyBundleRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await fetchKeyBundle(
        deps,
        who.right,
        { userId: req.right.user_id, deviceId: req.right.device_id },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const { primary, all } = result.right;
      return {
        success: {
          user_id: primary.userId,
          device_id: primary.deviceId,
          key_bundle: keyBundleMessage(primary),
          bundles: all.map((b): DeviceKeyBundle => ({ device_id: b.deviceId, key_bundle: keyBundleMessage(b) })),
        },
      };
    }),

    UploadPreKeys: unary('auth.UploadPreKeys', deps.logger, async (call, ctx): Reply<'UploadPreKeys'> => {
      const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(UploadPreKeysRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await uploadOneTimePreKeys(deps, who.right, req.right.one_time_pre_keys, {
        correlationId: ctx.correlationId,
      });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      return { success: { keys_uploaded: result.right.uploaded, total_keys_available: result.right.available } };
    }),

    RotateSignedPreKey: unary(
      'auth.RotateSignedPreKey',
      deps.logger,
      async (call, ctx): Reply<'RotateSignedPreKey'> => {
        const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
        if (isLeft(who)) return { error: who.left };
        const req = decodeRequest(RotateSignedPreKeyRequest, call.request);
        if (isLeft(req)) return { error: req.left };
        const result = await rotateSignedPreKey(
          deps,
          who.right,
          { signedPreKey: req.right.signed_pre_key, signature: req.right.signed_pre_key_signature },
          { correlationId: ctx.correlationId },
        );
        if (isLeft(result)) return { error: fromDomain(result.left) };
        return { success: { rotated_at: toTimestamp(result.right.rotatedAt) } };
      },
    ),

    UploadMlsKeyPackage: unary(
      'auth.UploadMlsKeyPackage',
      deps.logger,
      async (call, ctx): Reply<'UploadMlsKeyPackage'> => {
        const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
        if (isLeft(who)) return { error: who.left };
        const req = decodeRequest(UploadMlsKeyPackageRequest, call.request);
        if (isLeft(req)) return { error: req.left };
        const result = await uploadMlsKeyPackage(deps, who.right, req.right.key_package, {
          correlationId: ctx.correlationId,
        });
        if (isLeft(result)) return { error: fromDomain(result.left) };
        return { success: { package_id: result.right.packageId, uploaded_at: toTimestamp(result.right.at) } };
      },
    ),

    GetMlsKeyPackage: unary('auth.GetMlsKeyPackage', deps.logger, async (call, ctx): Reply<'GetMlsKeyPackage'> => {
      const who = await authenticate(call, undefined, deps.tokens, deps.sessions);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetMlsKeyPackageRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await fetchMlsKeyPackage(
        deps,
        who.right,
        { userId: req.right.user_id, deviceId: req.right.device_id },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const p = result.right;
      return {
        success: {
          user_id: p.userId,
          device_id: p.deviceId,
          key_package: buf(p.keyPackage),
          package_id: p.packageId,
        },
      };
    }),
  };
}
