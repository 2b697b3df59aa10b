/**
 * Per-user data keys for crypto-shredding.
 *
 * Every user has one random 256-bit key, stored in the key-value store under
 * `datakeys/<userId>` (never in the event log). The user's personal data in
 * events is sealed with it: AES-256-GCM, a fresh 12-byte IV per value, the
 * user id as additional authenticated data (a value sealed for one user does
 * not open for another). Deleting the account destroys the key; from then on
 * every replay, rebuild or audit of the log sees only ciphertext, and views
 * show `[redacted]`.
 *
 * - `create` is put-if-absent (compare-and-swap against "absent"), so racing
 *   registrations of one user id agree on one key. Registration creates the key
 *   before it commits the account.
 * - Keys are cached in memory for at most `ttlMs` (default 5 minutes), bounded
 *   by `maxCached`; `destroy` removes the key from the store and this process's
 *   cache, `forget` from the cache only (projections call it when they see an
 *   account deleted, so a process that did not destroy the key drops it too).
 *   Absence is never cached.
 * - `DataKeys.for(kv)` shares one instance (and cache) per store in a process.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KvStore } from './kv/port.ts';
import { key } from './kv/keys.ts';

/** A sealed value as carried in events: base64 IV and base64 (ciphertext ‖ tag). */
export interface SealedValue {
  readonly iv: string;
  readonly ct: string;
}

/** What views show where the data key is gone. */
export const REDACTED = '[redacted]';

export class DataKeyMissing extends Error {
  override readonly name = 'DataKeyMissing';
  constructor(readonly userId: string) {
    super(`user ${userId} has no data key (deleted account?)`);
  }
}

/** A sealed value did not authenticate: it was changed, or sealed for another user. */
export class SealedValueInvalid extends Error {
  override readonly name = 'SealedValueInvalid';
}

export interface DataKeysOptions {
  /** How long a key stays cached in memory, ms. Default 5 minutes. */
  readonly ttlMs?: number;
  /** Most keys cached at once. Default 10,000. */
  readonly maxCached?: number;
  readonly now?: () => number;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

export const dataKeyKey = (userId: string): Uint8Array => key('datakeys', userId);

const aad = (userId: string) => Buffer.from(`guardyn/datakey/v1/${userId}`, 'utf8');

const shared = new WeakMap<KvStore, DataKeys>();

export class DataKeys {
  private readonly cache = new Map<string, { key: Buffer; until: number }>();
  private readonly ttlMs: number;
  private readonly maxCached: number;
  private readonly now: () => number;

  constructor(
    private readonly kv: KvStore,
    options: DataKeysOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxCached = options.maxCached ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The process-wide instance for a store (one cache, so `destroy` is seen by every user of it). */
  static for(kv: KvStore): DataKeys {
    let keys = shared.get(kv);
    if (!keys) {
      keys = new DataKeys(kv);
      shared.set(kv, keys);
    }
    return keys;
  }

  /** Creates the user's key unless one exists (put-if-absent). Idempotent. */
  async create(userId: string): Promise<void> {
    const fresh = randomBytes(KEY_BYTES);
    const { swapped, previous } = await this.kv.compareAndSwap(dataKeyKey(userId), null, fresh);
    const stored = swapped ? fresh : previous;
    if (stored === undefined || stored.length !== KEY_BYTES)
      throw new Error(`data key of user ${userId} could not be created`);
    this.remember(userId, Buffer.from(stored));
  }

  /** Whether the user's key exists (false after `destroy`). */
  async exists(userId: string): Promise<boolean> {
    return (await this.keyOf(userId)) !== undefined;
  }

  /** Seals `plaintext` for `userId`. Throws DataKeyMissing when the user has no key. */
  async seal(userId: string, plaintext: string): Promise<SealedValue> {
    const k = await this.keyOf(userId);
    if (k === undefined) throw new DataKeyMissing(userId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, k, iv);
    cipher.setAAD(aad(userId));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { iv: iv.toString('base64'), ct: ct.toString('base64') };
  }

  /**
   * The plaintext of a sealed value, or undefined when the user's key is gone.
   * Throws SealedValueInvalid when the value does not authenticate.
   */
  async open(userId: string, sealed: SealedValue): Promise<string | undefined> {
    const k = await this.keyOf(userId);
    if (k === undefined) return undefined;
    const iv = Buffer.from(sealed.iv, 'base64');
    const body = Buffer.from(sealed.ct, 'base64');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES)
      throw new SealedValueInvalid(`a sealed value of user ${userId} is malformed`);
    try {
      const decipher = createDecipheriv(ALGORITHM, k, iv);
      decipher.setAAD(aad(userId));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SealedValueInvalid(`a sealed value of user ${userId} does not authenticate`);
    }
  }

  /** `open`, with REDACTED where the key is gone. */
  async openOrRedacted(userId: string, sealed: SealedValue): Promise<string> {
    return (await this.open(userId, sealed)) ?? REDACTED;
  }

  /** Destroys the user's key: removed from the store and from this process's cache. */
  async destroy(userId: string): Promise<void> {
    this.cache.delete(userId);
    await this.kv.delete(dataKeyKey(userId));
    this.cache.delete(userId);
  }

  /** Drops the user's key from this process's cache (the store is untouched). */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private async keyOf(userId: string): Promise<Buffer | undefined> {
    const cached = this.cache.get(userId);
    if (cached !== undefined) {
      if (cached.until > this.now()) return cached.key;
      this.cache.delete(userId);
    }
    const stored = await this.kv.get(dataKeyKey(userId));
    if (stored === undefined) return undefined;
    if (stored.length !== KEY_BYTES) throw new Error(`data key of user ${userId} is corrupt`);
    const k = Buffer.from(stored);
    this.remember(userId, k);
    return k;
  }

  private remember(userId: string, k: Buffer): void {
    this.cache.delete(userId);
    this.cache.set(userId, { key: k, until: this.now() + this.ttlMs });
    while (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
  }
}
