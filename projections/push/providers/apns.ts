/**
 * APNs over HTTP/2: `POST /3/device/<token>` on the production or sandbox
 * gateway (the device says which when it registers), authorised with a
 * provider token: an ES256 JWT (`kid` = the key id, `iss` = the team id,
 * `iat`) signed with the .p8 key. Apple accepts a provider token for an hour
 * and refuses one refreshed more often than every 20 minutes, so it is renewed
 * after 50 minutes (or at once after ExpiredProviderToken).
 *
 * Outcomes: 200 delivered; 410 (Unregistered, ExpiredToken) and 400
 * BadDeviceToken / DeviceTokenNotForTopic are an invalid token; 403
 * ExpiredProviderToken / InvalidProviderToken, 429 and 5xx are retried; any
 * other refusal fails with its reason.
 */
import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import type { PushEnvironment } from '../../../streams/events/push.ts';
import { Http2Origin, Http2TransportError, retryAfterMs, type Http2Response } from './http2-origin.ts';
import type { PushProvider, PushRequest, PushResult } from './provider.ts';

export const APNS_DEFAULT_ENDPOINTS: Readonly<Record<PushEnvironment, string>> = {
  production: 'https://api.push.apple.com',
  sandbox: 'https://api.sandbox.push.apple.com',
};

export interface ApnsOptions {
  /** The PKCS#8 PEM (.p8) signing key. */
  readonly key: string;
  readonly keyId: string;
  readonly teamId: string;
  /** The app's bundle id (apns-topic). */
  readonly topic: string;
  readonly endpoints?: Partial<Record<PushEnvironment, string>>;
  /** How long a provider token is used before a new one is signed. Default 50 minutes. */
  readonly tokenTtlMs?: number;
  readonly timeoutMs?: number;
  readonly ca?: string | Buffer;
  readonly now?: () => number;
}

const INVALID_TOKEN_REASONS = new Set(['BadDeviceToken', 'DeviceTokenNotForTopic', 'Unregistered', 'ExpiredToken']);
const PROVIDER_TOKEN_REASONS = new Set(['ExpiredProviderToken', 'InvalidProviderToken', 'MissingProviderToken']);
/** Alerts expire after a day: a push for a message a day old is not worth delivering. */
const EXPIRATION_SECONDS = 24 * 3600;

export class ApnsProvider implements PushProvider {
  readonly platform = 'apns' as const;
  private readonly origins: Record<PushEnvironment, Http2Origin>;
  private readonly now: () => number;
  private readonly tokenTtlMs: number;
  private key: Promise<CryptoKey> | undefined;
  private providerToken: { value: string; at: number } | undefined;
  private signing: Promise<string> | undefined;
  /** How many provider tokens were signed (tests check the refresh). */
  signed = 0;

  constructor(private readonly options: ApnsOptions) {
    this.now = options.now ?? Date.now;
    this.tokenTtlMs = options.tokenTtlMs ?? 50 * 60_000;
    const endpoints = { ...APNS_DEFAULT_ENDPOINTS, ...options.endpoints };
    const o = { timeoutMs: options.timeoutMs, ca: options.ca };
    this.origins = {
      production: new Http2Origin(endpoints.production, o),
      sandbox: new Http2Origin(endpoints.sandbox, o),
    };
  }

  async token(): Promise<string> {
    if (this.providerToken && this.now() - this.providerToken.at < this.tokenTtlMs) return this.providerToken.value;
    this.signing ??= this.sign().finally(() => {
      this.signing = undefined;
    });
    return this.signing;
  }

  private async sign(): Promise<string> {
    this.key ??= importPKCS8(this.options.key, 'ES256');
    const at = this.now();
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.options.keyId })
      .setIssuer(this.options.teamId)
      .setIssuedAt(Math.floor(at / 1000))
      .sign(await this.key);
    this.providerToken = { value, at };
    this.signed++;
    return value;
  }

  async send(request: PushRequest): Promise<PushResult> {
    const token = await this.token();
    // A ringing call is a VoIP push (PushKit): no alert, its own topic, delivered now or never.
    const voip = request.voip === true;
    const body = voip
      ? { aps: {}, ...request.data }
      : {
          aps: {
            alert: { 'loc-key': 'GUARDYN_NEW_MESSAGE' },
            sound: 'default',
            'mutable-content': 1,
            'thread-id': request.collapseKey,
          },
          ...request.data,
        };
    let res: Http2Response;
    try {
      res = await this.origins[request.environment].request({
        method: 'POST',
        path: `/3/device/${encodeURIComponent(request.token)}`,
        headers: {
          authorization: `bearer ${token}`,
          'apns-topic': voip ? `${this.options.topic}.voip` : this.options.topic,
          'apns-push-type': voip ? 'voip' : 'alert',
          'apns-priority': '10',
          'apns-id': request.id || randomUUID(),
          'apns-expiration': voip ? '0' : String(Math.floor(this.now() / 1000) + EXPIRATION_SECONDS),
          'apns-collapse-id': request.collapseKey.slice(0, 64),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    } catch (err) {
      if (err instanceof Http2TransportError) return { kind: 'retry', reason: err.message };
      throw err;
    }
    return this.outcome(res);
  }

  private outcome(res: Http2Response): PushResult {
    if (res.status === 200) return { kind: 'delivered' };
    let reason = '';
    try {
      const parsed = JSON.parse(res.body) as { reason?: unknown };
      if (typeof parsed.reason === 'string') reason = parsed.reason;
    } catch {
      // no JSON body
    }
    const label = `${res.status} ${reason}`.trim();
    if (res.status === 410 || INVALID_TOKEN_REASONS.has(reason)) return { kind: 'invalid-token', reason: label };
    if (res.status === 403 && PROVIDER_TOKEN_REASONS.has(reason)) {
      this.providerToken = undefined; // sign a new one for the retry
      return { kind: 'retry', reason: label };
    }
    if (res.status === 429 || res.status >= 500) {
      const after = retryAfterMs(res.headers, this.now());
      return after === undefined
        ? { kind: 'retry', reason: label }
        : { kind: 'retry', reason: label, retryAfterMs: after };
    }
    return { kind: 'failed', reason: label };
  }

  close(): void {
    this.origins.production.close();
    this.origins.sandbox.close();
  }
}
