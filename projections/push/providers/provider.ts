/**
 * The push provider port: FCM (fcm.ts) and APNs (apns.ts) implement it. A
 * send answers what the worker should do next; it never throws for a
 * provider's refusal, only the four outcomes below.
 */
import type { PushEnvironment, PushPlatform } from '../../../streams/events/push.ts';

export interface PushRequest {
  /** A UUID naming this push (APNs `apns-id`; logs). */
  readonly id: string;
  readonly token: string;
  readonly environment: PushEnvironment;
  /** Content-free fields the app needs to fetch (payload.ts). */
  readonly data: Readonly<Record<string, string>>;
  /** Pushes with one collapse key replace each other on the device (one per conversation). */
  readonly collapseKey: string;
  /** A ringing call: an APNs VoIP push (push type voip, topic <bundle>.voip), FCM high priority, short-lived. */
  readonly voip?: boolean;
}

export type PushResult =
  | { readonly kind: 'delivered' }
  /** The provider says the token is no longer valid: remove it, do not retry. */
  | { readonly kind: 'invalid-token'; readonly reason: string }
  /** A passing failure (rate limit, provider down, network, expired credentials): try again later. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  /** A refusal that will not change by retrying (a bad request): park it. */
  | { readonly kind: 'failed'; readonly reason: string };

export interface PushProvider {
  readonly platform: PushPlatform;
  send(request: PushRequest): Promise<PushResult>;
  close(): void;
}
