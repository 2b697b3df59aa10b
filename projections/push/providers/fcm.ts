/**
 * FCM HTTP v1: a data message per push to
 * `POST <endpoint>/v1/projects/<project>/messages:send`, authorised with an
 * OAuth 2.0 access token that the service account obtains by the JWT bearer
 * grant (an RS256 assertion signed with its private key, posted to its token
 * URI). The access token is cached until a minute before it expires; a 401
 * drops it and the push is retried.
 *
 * Outcomes: 200 delivered; UNREGISTERED (404), SENDER_ID_MISMATCH (403) or an
 * INVALID_ARGUMENT naming `message.token` are an invalid token; 401, 429 and
 * 5xx are retried (honouring Retry-After); any other refusal fails.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { Http2Origin, Http2TransportError, retryAfterMs, type Http2Response } from './http2-origin.ts';
import type { PushProvider, PushRequest, PushResult } from './provider.ts';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
export const FCM_DEFAULT_ENDPOINT = 'https://fcm.googleapis.com';

/** The fields of a service-account JSON key file that FCM needs. */
export const ServiceAccount = t.type({
  project_id: t.string,
  client_email: t.string,
  private_key: t.string,
  token_uri: t.string,
});
export type ServiceAccount = t.TypeOf<typeof ServiceAccount>;

export function parseServiceAccount(json: string, where: string): ServiceAccount {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${where} is not JSON`);
  }
  const decoded = ServiceAccount.decode(raw);
  if (isLeft(decoded)) throw new Error(`${where} lacks project_id, client_email, private_key or token_uri`);
  return decoded.right;
}

export interface FcmOptions {
  readonly serviceAccount: ServiceAccount;
  /** Default FCM's own endpoint. */
  readonly endpoint?: string;
  /** Overrides the service account's token_uri. */
  readonly tokenUri?: string;
  readonly timeoutMs?: number;
  readonly ca?: string | Buffer;
  readonly now?: () => number;
}

const TokenResponse = t.type({ access_token: t.string, expires_in: t.number });
const FcmErrorBody = t.type({
  error: t.partial({
    status: t.string,
    message: t.string,
    details: t.array(t.partial({ errorCode: t.string, fieldViolations: t.array(t.partial({ field: t.string })) })),
  }),
});

const EARLY_REFRESH_MS = 60_000;

export class FcmProvider implements PushProvider {
  readonly platform = 'fcm' as const;
  private readonly origins = new Map<string, Http2Origin>();
  private readonly endpoint: URL;
  private readonly tokenUri: URL;
  private readonly now: () => number;
  private key: Promise<CryptoKey> | undefined;
  private accessToken: { value: string; until: number } | undefined;
  private fetching: Promise<string> | undefined;

  constructor(private readonly options: FcmOptions) {
    this.endpoint = new URL(options.endpoint ?? FCM_DEFAULT_ENDPOINT);
    this.tokenUri = new URL(options.tokenUri ?? options.serviceAccount.token_uri);
    this.now = options.now ?? Date.now;
  }

  private origin(url: URL): Http2Origin {
    let o = this.origins.get(url.origin);
    if (!o) {
      o = new Http2Origin(url.origin, { timeoutMs: this.options.timeoutMs, ca: this.options.ca });
      this.origins.set(url.origin, o);
    }
    return o;
  }

  /** The cached access token, or a new one (concurrent callers share one fetch). */
  async token(): Promise<string> {
    if (this.accessToken && this.now() < this.accessToken.until) return this.accessToken.value;
    this.fetching ??= this.fetchToken().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetchToken(): Promise<string> {
    const sa = this.options.serviceAccount;
    this.key ??= importPKCS8(sa.private_key, 'RS256');
    const nowSeconds = Math.floor(this.now() / 1000);
    const assertion = await new SignJWT({ scope: FCM_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(sa.client_email)
      .setAudience(this.tokenUri.href)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 3600)
      .sign(await this.key);
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }).toString();
    const res = await this.origin(this.tokenUri).request({
      method: 'POST',
      path: this.tokenUri.pathname + this.tokenUri.search,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    if (res.status !== 200)
      throw new FcmAuthError(`token endpoint answered ${res.status}`, res.status >= 500 || res.status === 429);
    const decoded = TokenResponse.decode(safeJson(res.body));
    if (isLeft(decoded)) throw new FcmAuthError('token endpoint answered without access_token/expires_in', false);
    const { access_token, expires_in } = decoded.right;
    this.accessToken = { value: access_token, until: this.now() + Math.max(0, expires_in * 1000 - EARLY_REFRESH_MS) };
    return access_token;
  }

  async send(request: PushRequest): Promise<PushResult> {
    let bearer: string;
    try {
      bearer = await this.token();
    } catch (err) {
      if (err instanceof FcmAuthError && !err.passing) return { kind: 'failed', reason: `oauth: ${err.message}` };
      return { kind: 'retry', reason: `oauth: ${(err as Error).message}` };
    }
    const message = {
      message: {
        token: request.token,
        data: request.data,
        android: {
          priority: 'high',
          collapse_key: request.collapseKey,
          ...(request.voip === true ? { ttl: '60s' } : {}),
        },
        apns: { headers: { 'apns-collapse-id': request.collapseKey.slice(0, 64) } },
      },
    };
    let res: Http2Response;
    try {
      res = await this.origin(this.endpoint).request({
        method: 'POST',
        path: `${this.endpoint.pathname.replace(/\/$/, '')}/v1/projects/${encodeURIComponent(this.options.serviceAccount.project_id)}/messages:send`,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
      });
    } catch (err) {
      if (err instanceof Http2TransportError) return { kind: 'retry', reason: err.message };
      throw err;
    }
    return this.outcome(res);
  }

  private outcome(res: Http2Response): PushResult {
    if (res.status === 200) return { kind: 'delivered' };
    const decoded = FcmErrorBody.decode(safeJson(res.body));
    const error = isLeft(decoded) ? {} : decoded.right.error;
    const codes = (error.details ?? []).map((d) => d.errorCode).filter((c): c is string => c !== undefined);
    const fields = (error.details ?? []).flatMap((d) => d.fieldViolations ?? []).map((f) => f.field);
    const reason = `${res.status} ${codes[0] ?? error.status ?? ''}`.trim();
    if (codes.includes('UNREGISTERED') || res.status === 404) return { kind: 'invalid-token', reason };
    if (codes.includes('SENDER_ID_MISMATCH')) return { kind: 'invalid-token', reason };
    if (res.status === 400 && fields.includes('message.token')) return { kind: 'invalid-token', reason };
    if (res.status === 401) {
      this.accessToken = undefined; // expired or revoked: fetch a new one on the retry
      return { kind: 'retry', reason };
    }
    if (res.status === 429 || res.status >= 500) {
      const after = retryAfterMs(res.headers, this.now());
      return after === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: after };
    }
    return { kind: 'failed', reason };
  }

  close(): void {
    for (const o of this.origins.values()) o.close();
    this.origins.clear();
  }
}

class FcmAuthError extends Error {
  override readonly name = 'FcmAuthError';
  constructor(
    message: string,
    readonly passing: boolean,
  ) {
    super(message);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
