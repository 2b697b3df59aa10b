/**
 * The notifications API (HTTP, :8080):
 *
 * - `POST /v1/push-tokens` `{ platform: "fcm"|"apns", token, environment?: "production"|"sandbox", show_sender?: boolean }`
 *   registers (or replaces) the calling device's push token. `show_sender`
 *   opts in to the sender's name in the notification (default off).
 * - `DELETE /v1/push-tokens` removes the calling device's token.
 * - `GET /health` answers 503 `{status: "starting"}` until every role of the
 *   process serves (and `stopping` from the start of the shutdown), then 200
 *   while NATS is connected, else 503.
 *
 * Both push-token calls need `Authorization: Bearer <access token>`; the
 * device is the token's. Answers carry `consistency {stream, seq}`.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeRequest, EnumName } from '../shared/validation.ts';
import { errorResponse, fromDomain } from '../shared/errors.ts';
import type { AccessTokenVerifier, SessionCheck } from '../shared/auth-context.ts';
import { registerPushToken, unregisterPushToken, type PushTokenDeps } from '../../commands/device/push-tokens.ts';
import { authenticateRequest } from './auth.ts';
import type { Readiness } from '../../runtime/readiness.ts';
import { readJson, sendError, sendJson, type HttpRouter } from './server.ts';

const MAX_BODY_BYTES = 16 * 1024;
/** FCM registration tokens are opaque strings of a few hundred characters. */
const FCM_TOKEN = /^[A-Za-z0-9_:.-]{1,4096}$/;
/** APNs device tokens are hex (32 bytes today; longer allowed). */
const APNS_TOKEN = /^[0-9a-fA-F]{64,200}$/;

const RegisterBody = t.intersection([
  t.type({ platform: EnumName(['fcm', 'apns'] as const), token: t.string }),
  t.partial({ environment: EnumName(['production', 'sandbox'] as const), show_sender: t.boolean }),
]);

export interface NotificationsApiDeps extends PushTokenDeps {
  readonly tokens: AccessTokenVerifier;
  readonly sessions: SessionCheck;
  readonly health: () => Promise<{ readonly nats: string }>;
  /** The process's readiness (absent: serving). */
  readonly readiness?: Readiness;
}

export function mountNotificationsApi(router: HttpRouter, deps: NotificationsApiDeps): void {
  router.on('GET', '/health', async (_req, res) => {
    const health = await deps.health();
    const state = deps.readiness?.state ?? 'serving';
    if (state !== 'serving') return sendJson(res, 503, { status: state, ...health });
    const ok = health.nats === 'ok';
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', ...health });
  });

  router.on('POST', '/v1/push-tokens', async (req, res, ctx) => {
    const who = await authenticateRequest(req, deps.tokens, deps.sessions);
    if (isLeft(who)) return sendError(res, who.left, { 'www-authenticate': 'Bearer' });
    const body = await readJson(req, MAX_BODY_BYTES);
    if (!body.ok) return sendJson(res, body.status ?? 400, { error: body.error });
    const decoded = decodeRequest(RegisterBody, body.value);
    if (isLeft(decoded)) return sendError(res, decoded.left);
    const { platform, token } = decoded.right;
    const pattern = platform === 'fcm' ? FCM_TOKEN : APNS_TOKEN;
    if (!pattern.test(token)) {
      const mustBe = platform === 'fcm' ? '1-4096 characters of letters, digits and _:.-' : '64-200 hexadecimal digits';
      return sendError(
        res,
        errorResponse('INVALID_REQUEST', `invalid request: token must be ${mustBe} for ${platform}`, {
          field: 'token',
        }),
      );
    }
    const caller = { userId: who.right.userId, deviceId: who.right.deviceId };
    const result = await registerPushToken(
      deps,
      caller,
      {
        platform,
        token,
        environment: decoded.right.environment ?? 'production',
        showSender: decoded.right.show_sender ?? false,
      },
      { correlationId: ctx.correlationId },
    );
    if (isLeft(result)) return sendError(res, fromDomain(result.left));
    sendJson(res, 200, {
      registered: true,
      changed: result.right.changed,
      consistency: { stream: result.right.stream, seq: result.right.seq },
    });
  });

  router.on('DELETE', '/v1/push-tokens', async (req, res, ctx) => {
    const who = await authenticateRequest(req, deps.tokens, deps.sessions);
    if (isLeft(who)) return sendError(res, who.left, { 'www-authenticate': 'Bearer' });
    const result = await unregisterPushToken(
      deps,
      { userId: who.right.userId, deviceId: who.right.deviceId },
      { correlationId: ctx.correlationId },
    );
    if (isLeft(result)) return sendError(res, fromDomain(result.left));
    sendJson(res, 200, {
      removed: result.right.changed,
      consistency: { stream: result.right.stream, seq: result.right.seq },
    });
  });
}
