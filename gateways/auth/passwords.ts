/**
 * Password hashing with Argon2id (the `argon2` native package). Parameters come
 * from config.auth.argon2; every hash carries its own parameters, so hashes made
 * with older settings still verify (see `needsRehash` to upgrade them at login).
 *
 * Timing: `verifyDummy` runs a full verification against a hash made once at
 * construction with the same parameters, so "unknown user" costs the same as
 * "wrong password" and login cannot be used to probe which usernames exist.
 */
import { randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

export interface Argon2Params {
  readonly memoryKiB: number;
  readonly passes: number;
  readonly parallelism: number;
}

export class PasswordHasher {
  private readonly options: {
    readonly type: typeof argon2.argon2id;
    readonly memoryCost: number;
    readonly timeCost: number;
    readonly parallelism: number;
  };
  /** A hash of a random secret nobody knows; `verifyDummy` verifies against it. */
  private readonly dummyHash: Promise<string>;

  constructor(params: Argon2Params) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: params.memoryKiB,
      timeCost: params.passes,
      parallelism: params.parallelism,
    };
    this.dummyHash = argon2.hash(randomBytes(32).toString('base64url'), this.options);
    // A failure surfaces when verifyDummy awaits it; never as an unhandled rejection.
    this.dummyHash.catch(() => undefined);
  }

  /** An encoded Argon2id hash (`$argon2id$v=19$m=...`) with a fresh random salt. */
  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  /** True only when `password` matches `hash`; false for a wrong password and for a malformed hash. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of one real verification and answers false: call it when the user does not exist. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** True when `hash` was made with other parameters than the current ones (or cannot be read). */
  needsRehash(hash: string): boolean {
    try {
      return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, this.options);
    } catch {
      return true;
    }
  }
}
