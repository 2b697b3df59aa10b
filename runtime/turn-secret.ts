/**
 * The TURN REST secret shared by coturn (`use-auth-secret`, `static-auth-secret`) and the call
 * service (which signs credentials with it: gateways/calls/turn.ts): configured, or generated once
 * into <dataDir>/keys/turn-secret, readable only by its owner; the calls role and coturn's unit
 * under `guardyn up` both read it here.
 */
import { randomBytes } from 'node:crypto';
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
  if (secret.length < MIN_TURN_SECRET_LENGTH)
    throw new Error(
      `${file} holds a TURN secret shorter than ${MIN_TURN_SECRET_LENGTH} characters; delete it to have a new one generated`,
    );
  return secret;
}
