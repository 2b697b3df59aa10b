/**
 * Access tokens (signed JWTs) and refresh tokens (opaque random strings stored
 * only as their SHA-256).
 *
 * Keys: a key set, every key of which verifies, one of which (the active key)
 * signs. Only asymmetric algorithms: EdDSA (Ed25519) and ES256 (P-256), as
 * allowed by config.auth.jwtAlgorithms (GUARDYN_AUTH__JWT_ALGORITHMS); a key's
 * algorithm follows from its type, and a token must name the algorithm of the
 * key its `kid` names. `none` and HS* are never accepted.
 *
 * - Default, one key: config.auth.jwtPrivateKeyPem (GUARDYN_AUTH__JWT_PRIVATE_KEY)
 *   when set, else `<dataDir>/keys/jwt-ed25519.pem`, generated on first start
 *   (mode 0600). Its kid is the RFC 7638 thumbprint of its public key.
 * - Rotation: config.auth.jwtKeysDir (GUARDYN_AUTH__JWT_KEYS_DIR) holds PEM
 *   private keys named `<kid>.pem`. The directory is read again every
 *   jwtKeysReloadSeconds (default 60), so keys are added and removed without a
 *   restart. The active key is jwtActiveKid when named, else the newest file
 *   (by modification time) that has been there for jwtKeyActivationDelaySeconds
 *   (default 120: longer than one reload, so every instance knows a new key
 *   before any instance signs with it); when no key is that old, the newest.
 *   A reload that finds a broken file or loses the named active key is logged
 *   and ignored (the previous set stays).
 *   To rotate: put the new key into every instance's directory; it becomes
 *   active after the delay; remove the old key once the access token lifetime
 *   (15 minutes) has passed. Tokens of a removed key are refused from the next
 *   reload on.
 * - An access token carries sub (user id), `did` (device id), `sid` (session id),
 *   iss, aud, iat, exp, jti and the claim `typ: 'access'`, so no other JWT signed
 *   with the same keys (a future media token) is ever accepted as one; its
 *   header carries alg, typ JWT and kid.
 * - Verification costs about 80-170 µs; successful verifications are kept in a
 *   bounded LRU keyed by the token string until the token's exp (and only while
 *   its key is in the set). The cache (and this module) knows nothing about
 *   revocation: callers check the session.
 * - No clock tolerance: the same process family issues and verifies tokens.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isRight, left, right, type Either } from 'fp-ts/lib/Either.js';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  errors as joseErrors,
  exportJWK,
  jwtVerify,
  SignJWT,
  type JWK,
} from 'jose';
import type { Logger } from 'pino';
import { ConfigError, JWT_ALGORITHMS, type GuardynConfig, type JwtAlgorithm } from '../../runtime/config.ts';

type AuthConfig = GuardynConfig['auth'];

/**
 * The part of the configuration tokens depend on (a GuardynConfig fits). The
 * key-set fields are optional: absent, they take runtime/config.ts's defaults.
 */
export interface TokenConfig {
  readonly dataDir: string;
  readonly auth: Pick<AuthConfig, 'jwtPrivateKeyPem' | 'issuer' | 'accessTokenTtlSeconds'> &
    Partial<
      Pick<
        AuthConfig,
        | 'audience'
        | 'jwtKeysDir'
        | 'jwtActiveKid'
        | 'jwtKeysReloadSeconds'
        | 'jwtKeyActivationDelaySeconds'
        | 'jwtAlgorithms'
      >
    >;
}

export interface TokenServiceOptions {
  /** Current time in milliseconds since the epoch; tests move it. Default Date.now. */
  readonly now?: () => number;
  /** Most verified tokens remembered at once (0: no cache). Default 10,000. */
  readonly cacheSize?: number;
}

export interface AccessTokenSubject {
  readonly userId: string;
  readonly deviceId: string;
  readonly sessionId: string;
}

export interface IssuedAccessToken {
  readonly token: string;
  /** Lifetime in seconds (config.auth.accessTokenTtlSeconds). */
  readonly expiresIn: number;
  /** Expiry in Unix seconds (the JWT's exp). */
  readonly expiresAt: number;
}

export interface AccessClaims extends AccessTokenSubject {
  /** Expiry in Unix seconds (the JWT's exp). */
  readonly expiresAt: number;
}

export type TokenErrorReason = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'wrong-type';

export interface TokenError {
  readonly reason: TokenErrorReason;
  /** Says what is wrong; never contains the token. */
  readonly message: string;
}

export interface RefreshToken {
  /** Handed to the client once; never stored or logged. */
  readonly token: string;
  /** SHA-256 hex of the token: what the server stores and looks up. */
  readonly hash: string;
}

export const KEY_FILE = path.join('keys', 'jwt-ed25519.pem');
export const DEFAULT_AUDIENCE = 'guardyn';
const DEFAULT_RELOAD_SECONDS = 60;
const DEFAULT_ACTIVATION_DELAY_SECONDS = 120;
const ACCESS_TYPE = 'access';
const DEFAULT_CACHE_SIZE = 10_000;
/** Longer than any token we issue; longer input is refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const KID_FILE = /^([A-Za-z0-9_.-]{1,64})\.pem$/;

const tokenError = (reason: TokenErrorReason, message: string): TokenError => ({ reason, message });

/** A fresh refresh token: 32 random bytes, base64url, with its SHA-256 hex. */
export function newRefreshToken(): RefreshToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/** SHA-256 hex of a refresh token, for storage and lookup. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** One key of the set. */
interface SetKey {
  readonly kid: string;
  readonly alg: JwtAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public JWK with kid, alg and use. */
  readonly jwk: JWK;
  /** File modification time (ms) in a key directory; 0 otherwise. */
  readonly addedAt: number;
}

interface KeySet {
  readonly keys: ReadonlyMap<string, SetKey>;
  readonly active: SetKey;
}

interface CachedVerification {
  readonly claims: AccessClaims;
  readonly kid: string;
}

export class TokenService {
  private readonly cache: VerifiedTokenCache;
  private readonly issuer: string;
  private readonly audience: string;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private reloadTimer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;

  private constructor(
    private keySet: KeySet,
    private readonly config: TokenConfig,
    private readonly logger: Logger,
    options: TokenServiceOptions,
  ) {
    this.issuer = config.auth.issuer;
    this.audience = config.auth.audience ?? DEFAULT_AUDIENCE;
    this.ttlSeconds = config.auth.accessTokenTtlSeconds;
    this.now = options.now ?? Date.now;
    this.cache = new VerifiedTokenCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  /**
   * Loads the key set (or on first start generates and stores the default key).
   * Throws ConfigError for an unusable key or key directory. With a key
   * directory, re-reads it every jwtKeysReloadSeconds until `close()`.
   */
  static async create(config: TokenConfig, logger: Logger, options: TokenServiceOptions = {}): Promise<TokenService> {
    const now = options.now ?? Date.now;
    const keySet = await loadKeySet(config, logger, now());
    const service = new TokenService(keySet, config, logger, options);
    logger.info({ kid: keySet.active.kid, alg: keySet.active.alg, keys: [...keySet.keys.keys()] }, 'JWT keys ready');
    const reloadSeconds = config.auth.jwtKeysReloadSeconds ?? DEFAULT_RELOAD_SECONDS;
    if (config.auth.jwtKeysDir !== undefined && reloadSeconds > 0) {
      service.reloadTimer = setInterval(() => void service.reloadKeys(), reloadSeconds * 1000);
      service.reloadTimer.unref();
    }
    return service;
  }

  /**
   * Reads the key directory again (a no-op without one): new keys verify from
   * now on, removed keys no longer do, and the active key is chosen again. A
   * broken directory is logged and the previous set kept.
   */
  reloadKeys(): Promise<void> {
    if (this.config.auth.jwtKeysDir === undefined) return Promise.resolve();
    this.reloading ??= (async () => {
      try {
        const next = await loadKeySet(this.config, this.logger, this.now());
        const before = this.keySet;
        this.keySet = next;
        const added = [...next.keys.keys()].filter((k) => !before.keys.has(k));
        const removed = [...before.keys.keys()].filter((k) => !next.keys.has(k));
        if (added.length > 0 || removed.length > 0 || before.active.kid !== next.active.kid) {
          this.logger.info({ added, removed, active: next.active.kid }, 'JWT key set changed');
        }
      } catch (err) {
        this.logger.error(
          { err: err instanceof Error ? err.message : String(err) },
          'JWT key directory could not be read again: keeping the previous key set',
        );
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  /** Stops re-reading the key directory. */
  close(): void {
    if (this.reloadTimer !== undefined) clearInterval(this.reloadTimer);
    this.reloadTimer = undefined;
  }

  async issueAccessToken(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const key = this.keySet.active;
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ typ: ACCESS_TYPE, did: subject.deviceId, sid: subject.sessionId })
      .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
      .setSubject(subject.userId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresIn: this.ttlSeconds, expiresAt };
  }

  async verifyAccessToken(token: string): Promise<Either<TokenError, AccessClaims>> {
    if (token === '') return left(tokenError('missing', 'no access token was given'));
    // A token in the cache was well-formed when it was verified: the shape is checked on a miss only.
    const cached = token.length > MAX_TOKEN_LENGTH ? undefined : this.cache.get(token);
    if (cached === undefined && (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token))) {
      return left(tokenError('malformed', 'access token is not a well-formed JWT'));
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    if (cached !== undefined) {
      if (!this.keySet.keys.has(cached.kid)) {
        this.cache.delete(token);
        return left(tokenError('bad-signature', 'access token is signed by a key that is no longer accepted'));
      }
      if (nowSeconds < cached.claims.expiresAt) return right(cached.claims);
      this.cache.delete(token);
      return left(tokenError('expired', 'access token expired'));
    }
    const verified = await this.verifySignedToken(token);
    if (isRight(verified)) this.cache.set(token, verified.right);
    return isRight(verified) ? right(verified.right.claims) : verified;
  }

  /** The public half of the active (signing) key, with kid, alg and use. */
  publicJwk(): JWK {
    return { ...this.keySet.active.jwk };
  }

  /** Every key that verifies, public halves only (a JWKS document). */
  publicJwks(): { keys: JWK[] } {
    return { keys: [...this.keySet.keys.values()].map((k) => ({ ...k.jwk })) };
  }

  /** The kid of the key that signs new tokens. */
  get activeKid(): string {
    return this.keySet.active.kid;
  }

  newRefreshToken(): RefreshToken {
    return newRefreshToken();
  }

  hashRefreshToken(token: string): string {
    return hashRefreshToken(token);
  }

  /** Verified tokens currently remembered (for tests and metrics). */
  get cachedVerifications(): number {
    return this.cache.size;
  }

  private async verifySignedToken(token: string): Promise<Either<TokenError, CachedVerification>> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return left(tokenError('malformed', 'access token is not a well-formed JWT'));
    }
    if (typeof header.alg !== 'string') return left(tokenError('malformed', 'access token is not a well-formed JWT'));
    // Only the key the token names, with that key's own algorithm: never `none`, never HS* with a public key.
    const key = typeof header.kid === 'string' ? this.keySet.keys.get(header.kid) : undefined;
    if (key === undefined) return left(tokenError('bad-signature', 'access token is not signed by a known key'));
    if (header.alg !== key.alg) return left(tokenError('bad-signature', 'access token signature is not valid'));
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key.publicKey, {
        algorithms: [key.alg],
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'aud'],
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      return left(classifyJoseError(err));
    }
    if (payload['typ'] !== ACCESS_TYPE) return left(tokenError('wrong-type', 'token is not an access token'));
    const { sub, did, sid, exp } = payload;
    if (!nonEmptyString(sub) || !nonEmptyString(did) || !nonEmptyString(sid) || typeof exp !== 'number') {
      return left(tokenError('malformed', 'access token lacks its user, device or session claim'));
    }
    return right({ claims: { userId: sub, deviceId: did, sessionId: sid, expiresAt: exp }, kid: key.kid });
  }
}

const nonEmptyString = (u: unknown): u is string => typeof u === 'string' && u !== '';

function classifyJoseError(err: unknown): TokenError {
  if (err instanceof joseErrors.JWTExpired) return tokenError('expired', 'access token expired');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JOSEAlgNotAllowed) {
    return tokenError('bad-signature', 'access token signature is not valid');
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return tokenError(
      'malformed',
      `access token claim "${err.claim}" is ${err.reason === 'missing' ? 'missing' : 'not valid'}`,
    );
  }
  return tokenError('malformed', 'access token is not a well-formed JWT');
}

/** Least-recently-used map of token string → verification; Map keeps insertion order. */
class VerifiedTokenCache {
  private readonly entries = new Map<string, CachedVerification>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string): CachedVerification | undefined {
    const entry = this.entries.get(token);
    if (entry !== undefined) {
      this.entries.delete(token);
      this.entries.set(token, entry);
    }
    return entry;
  }

  set(token: string, entry: CachedVerification): void {
    if (this.capacity <= 0) return;
    this.entries.delete(token);
    this.entries.set(token, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(token: string): void {
    this.entries.delete(token);
  }
}

// ---------------------------------------------------------------------------
// The key set
// ---------------------------------------------------------------------------

async function loadKeySet(config: TokenConfig, logger: Logger, now: number): Promise<KeySet> {
  const allowed = config.auth.jwtAlgorithms ?? JWT_ALGORITHMS;
  const dir = config.auth.jwtKeysDir;
  if (dir === undefined) {
    const { key, source } = await loadSingleKey(config, logger);
    const setKey = await toSetKey(undefined, key, 0, source, allowed);
    return { keys: new Map([[setKey.kid, setKey]]), active: setKey };
  }
  return loadKeyDirectory(dir, config, logger, now, allowed);
}

async function loadKeyDirectory(
  dir: string,
  config: TokenConfig,
  logger: Logger,
  now: number,
  allowed: readonly JwtAlgorithm[],
): Promise<KeySet> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    throw new ConfigError(`GUARDYN_AUTH__JWT_KEYS_DIR=${dir} cannot be read: ${(err as Error).message}`);
  }
  const keys = new Map<string, SetKey>();
  for (const name of names.sort()) {
    const kid = KID_FILE.exec(name)?.[1];
    if (kid === undefined) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file);
    if (!stat.isFile()) continue;
    if ((stat.mode & 0o077) !== 0)
      logger.warn({ file, mode: (stat.mode & 0o777).toString(8) }, 'JWT key file is readable by others: chmod 600 it');
    const pem = await fs.readFile(file, 'utf8');
    const key = parsePrivateKey(pem, `${file} is not a PEM Ed25519 or P-256 private key`);
    keys.set(kid, await toSetKey(kid, key, stat.mtimeMs, file, allowed));
  }
  if (keys.size === 0) throw new ConfigError(`GUARDYN_AUTH__JWT_KEYS_DIR=${dir} holds no <kid>.pem key files`);
  const named = config.auth.jwtActiveKid;
  if (named !== undefined) {
    const active = keys.get(named);
    if (active === undefined)
      throw new ConfigError(`GUARDYN_AUTH__JWT_ACTIVE_KID=${named}: there is no ${named}.pem in ${dir}`);
    return { keys, active };
  }
  const delayMs = (config.auth.jwtKeyActivationDelaySeconds ?? DEFAULT_ACTIVATION_DELAY_SECONDS) * 1000;
  const newestFirst = [...keys.values()].sort((a, b) => b.addedAt - a.addedAt || (a.kid < b.kid ? 1 : -1));
  const active = newestFirst.find((k) => k.addedAt <= now - delayMs) ?? newestFirst[0];
  if (active === undefined) throw new ConfigError(`GUARDYN_AUTH__JWT_KEYS_DIR=${dir} holds no usable key`);
  return { keys, active };
}

async function toSetKey(
  kid: string | undefined,
  privateKey: KeyObject,
  addedAt: number,
  source: string,
  allowed: readonly JwtAlgorithm[],
): Promise<SetKey> {
  const alg = algorithmOf(privateKey);
  if (alg === undefined) throw new ConfigError(`${source} is not an Ed25519 or P-256 private key`);
  if (!allowed.includes(alg))
    throw new ConfigError(
      `${source} is a ${alg} key, but GUARDYN_AUTH__JWT_ALGORITHMS allows only ${allowed.join(', ')}`,
    );
  const publicKey = createPublicKey(privateKey);
  const publicJwk = await exportJWK(publicKey);
  const id = kid ?? (await calculateJwkThumbprint(publicJwk));
  return { kid: id, alg, privateKey, publicKey, jwk: { ...publicJwk, kid: id, alg, use: 'sig' }, addedAt };
}

function algorithmOf(key: KeyObject): JwtAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

async function loadSingleKey(config: TokenConfig, logger: Logger): Promise<{ key: KeyObject; source: string }> {
  const configured = config.auth.jwtPrivateKeyPem;
  if (configured !== undefined) {
    // An environment variable often carries the PEM's newlines as literal "\n".
    const pem = configured.includes('\n') ? configured : configured.replace(/\\n/g, '\n');
    const source = 'GUARDYN_AUTH__JWT_PRIVATE_KEY';
    return { key: parsePrivateKey(pem, `${source} must be a PKCS#8 PEM Ed25519 (or P-256) private key`), source };
  }
  const file = path.join(config.dataDir, KEY_FILE);
  const existing = await readKeyFile(file, logger);
  if (existing !== undefined) return { key: existing, source: file };
  await writeNewKeyFile(file);
  logger.info({ file }, 'generated a new JWT signing key');
  const created = await readKeyFile(file, logger);
  if (created === undefined) throw new ConfigError(`could not read back the JWT signing key written to ${file}`);
  return { key: created, source: file };
}

async function readKeyFile(file: string, logger: Logger): Promise<KeyObject | undefined> {
  let pem: string;
  try {
    pem = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const mode = (await fs.stat(file)).mode & 0o777;
  if ((mode & 0o077) !== 0)
    logger.warn({ file, mode: mode.toString(8) }, 'JWT signing key file is readable by others: chmod 600 it');
  const key = parsePrivateKey(
    pem,
    `${file} is not a PKCS#8 PEM Ed25519 private key (removing it makes a new key and signs every session out)`,
  );
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(
      `${file} is not a PKCS#8 PEM Ed25519 private key (removing it makes a new key and signs every session out)`,
    );
  return key;
}

/** Writes a new key without ever exposing a half-written file: temp file, then link (fails if another process won). */
async function writeNewKeyFile(file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** A PEM private key of a type we sign with; ConfigError(`problem`) otherwise. */
function parsePrivateKey(pem: string, problem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new ConfigError(problem);
  }
  if (algorithmOf(key) === undefined) throw new ConfigError(problem);
  return key;
}
