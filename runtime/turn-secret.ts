/**
 * The TURN REST scheme shared by coturn (`use-auth-secret`, `static-auth-secret`) and the call
 * service: the secret (configured, or generated once into <dataDir>/keys/turn-secret, readable
 * only by its owner) and time-limited credentials made with it: username `<unix expiry>:<userId>`,
 * password base64(HMAC-SHA1(secret, username)). coturn checks the HMAC and the expiry itself.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MIN_TURN_SECRET_LENGTH } from './config-turn.ts';

export function turnSecretFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'turn-secret');
}

/**
 * The configured secret (GUARDYN_CALLS__TURN_SECRET), or the one in the data directory, created
 * when absent (exclusive create: processes starting at once agree on one secret).
 */
export function loadTurnSecret(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured;
  const file = turnSecretFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_TURN_SECRET_LENGTH) throw new Error(`${file} holds a TURN secret shorter than ${MIN_TURN_SECRET_LENGTH} characters; delete it to have a new one generated`);
  return secret;
}

export interface TurnCredential {
  readonly username: string;
  readonly password: string;
  /** Unix seconds after which coturn refuses it. */
  readonly expiresAt: number;
}

/** A TURN REST credential for `userId`, valid for `ttlSeconds` from `nowMs`. */
export function turnCredential(secret: string, userId: string, ttlSeconds: number, nowMs: number = Date.now()): TurnCredential {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${userId}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expiresAt };
}
