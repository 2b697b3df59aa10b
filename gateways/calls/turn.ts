/**
 * TURN REST credentials (the scheme coturn's `use-auth-secret` /
 * `static-auth-secret` checks): username `<expiry unix seconds>:<userId>`,
 * password base64(HMAC-SHA1(secret, username)). The TURN server recomputes the
 * password from the username and refuses it after the expiry; nothing is stored.
 */
import { createHmac } from 'node:crypto';

export interface TurnCredentials {
  readonly username: string;
  readonly password: string;
  readonly ttlSeconds: number;
  readonly uris: readonly string[];
  /** ms */
  readonly expiresAt: number;
}

export function turnCredentials(
  secret: string,
  userId: string,
  ttlSeconds: number,
  uris: readonly string[],
  nowMs: number,
): TurnCredentials {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${userId}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, ttlSeconds, uris, expiresAt: expiry * 1000 };
}
