/**
 * Access tokens (signed JWTs, EdDSA over Ed25519) and refresh tokens (opaque
 * random strings stored only as their SHA-256).
 *
 * - The signing key is a PKCS#8 PEM Ed25519 private key: config.auth.jwtPrivateKeyPem
 *   (GUARDYN_AUTH__JWT_PRIVATE_KEY) when set, else `<dataDir>/keys/jwt-ed25519.pem`,
 *   generated on first start (mode 0600). Every gateway process that verifies
 *   tokens must share the key; losing it signs every session out.
 * - An access token carries sub (user id), `did` (device id), `sid` (session id),
 *   iss, iat, exp, jti and the claim `typ: 'access'`, so no other JWT signed with
 *   the same key (a future refresh or media token) is ever accepted as one.
 * - Verification costs about 80-170 µs; successful verifications are kept in a
 *   bounded LRU keyed by the token string until the token's exp. The cache (and
 *   this module) knows nothing about revocation: callers check the session.
 * - No clock tolerance: the same process family issues and verifies tokens.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isRight, left, right, type Either } from 'fp-ts/lib/Either.js';
import { calculateJwkThumbprint, errors as joseErrors, exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Logger } from 'pino';
import { ConfigError, type GuardynConfig } from '../../runtime/config.ts';

/** The part of the configuration tokens depend on (a GuardynConfig fits). */
export interface TokenConfig {
  readonly dataDir: string;
  readonly auth: Pick<GuardynConfig['auth'], 'jwtPrivateKeyPem' | 'issuer' | 'accessTokenTtlSeconds'>;
}

export interface TokenServiceOptions {
  /** Current time in milliseconds since the epoch; tests move it. Default Date.now. */
  readonly now?: () => number;
  /** Most verified tokens remembered at once. Default 10,000. */
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
const ALG = 'EdDSA';
const ACCESS_TYPE = 'access';
const DEFAULT_CACHE_SIZE = 10_000;
/** Longer than any token we issue; longer input is refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

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

export class TokenService {
  private readonly cache: VerifiedTokenCache;

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly jwk: JWK,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
    cacheSize: number,
  ) {
    this.cache = new VerifiedTokenCache(cacheSize);
  }

  /** Loads (or on first start generates and stores) the signing key. Throws ConfigError for an unusable key. */
  static async create(config: TokenConfig, logger: Logger, options: TokenServiceOptions = {}): Promise<TokenService> {
    const privateKey = await loadSigningKey(config, logger);
    const publicKey = createPublicKey(privateKey);
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    logger.info({ kid }, 'JWT signing key ready');
    return new TokenService(
      privateKey, publicKey, { ...publicJwk, kid, alg: ALG, use: 'sig' },
      config.auth.issuer, config.auth.accessTokenTtlSeconds, options.now ?? Date.now, options.cacheSize ?? DEFAULT_CACHE_SIZE,
    );
  }

  async issueAccessToken(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ typ: ACCESS_TYPE, did: subject.deviceId, sid: subject.sessionId })
      .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: this.jwk.kid })
      .setSubject(subject.userId)
      .setIssuer(this.issuer)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expiresIn: this.ttlSeconds, expiresAt };
  }

  async verifyAccessToken(token: string): Promise<Either<TokenError, AccessClaims>> {
    if (token === '') return left(tokenError('missing', 'no access token was given'));
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
      return left(tokenError('malformed', 'access token is not a well-formed JWT'));
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    const cached = this.cache.get(token);
    if (cached !== undefined) {
      if (nowSeconds < cached.expiresAt) return right(cached);
      this.cache.delete(token);
      return left(tokenError('expired', 'access token expired'));
    }
    const verified = await this.verifySignedToken(token);
    if (isRight(verified)) this.cache.set(token, verified.right);
    return verified;
  }

  /** The public half of the signing key, with kid (RFC 7638 thumbprint), alg and use. */
  publicJwk(): JWK {
    return { ...this.jwk };
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

  private async verifySignedToken(token: string): Promise<Either<TokenError, AccessClaims>> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, {
        algorithms: [ALG],
        issuer: this.issuer,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
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
    return right({ userId: sub, deviceId: did, sessionId: sid, expiresAt: exp });
  }
}

const nonEmptyString = (u: unknown): u is string => typeof u === 'string' && u !== '';

function classifyJoseError(err: unknown): TokenError {
  if (err instanceof joseErrors.JWTExpired) return tokenError('expired', 'access token expired');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JOSEAlgNotAllowed) {
    return tokenError('bad-signature', 'access token signature is not valid');
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return tokenError('malformed', `access token claim "${err.claim}" is ${err.reason === 'missing' ? 'missing' : 'not valid'}`);
  }
  return tokenError('malformed', 'access token is not a well-formed JWT');
}

/** Least-recently-used map of token string → claims; Map keeps insertion order. */
class VerifiedTokenCache {
  private readonly entries = new Map<string, AccessClaims>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string): AccessClaims | undefined {
    const claims = this.entries.get(token);
    if (claims !== undefined) {
      this.entries.delete(token);
      this.entries.set(token, claims);
    }
    return claims;
  }

  set(token: string, claims: AccessClaims): void {
    if (this.capacity <= 0) return;
    this.entries.delete(token);
    this.entries.set(token, claims);
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
// The signing key
// ---------------------------------------------------------------------------

async function loadSigningKey(config: TokenConfig, logger: Logger): Promise<KeyObject> {
  const configured = config.auth.jwtPrivateKeyPem;
  if (configured !== undefined) {
    // An environment variable often carries the PEM's newlines as literal "\n".
    const pem = configured.includes('\n') ? configured : configured.replace(/\\n/g, '\n');
    return parseEd25519(pem, 'GUARDYN_AUTH__JWT_PRIVATE_KEY must be a PKCS#8 PEM Ed25519 private key');
  }
  const file = path.join(config.dataDir, KEY_FILE);
  const existing = await readKeyFile(file, logger);
  if (existing !== undefined) return existing;
  await writeNewKeyFile(file);
  logger.info({ file }, 'generated a new JWT signing key');
  const created = await readKeyFile(file, logger);
  if (created === undefined) throw new ConfigError(`could not read back the JWT signing key written to ${file}`);
  return created;
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
  if ((mode & 0o077) !== 0) logger.warn({ file, mode: mode.toString(8) }, 'JWT signing key file is readable by others: chmod 600 it');
  return parseEd25519(pem, `${file} is not a PKCS#8 PEM Ed25519 private key (removing it makes a new key and signs every session out)`);
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

function parseEd25519(pem: string, problem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new ConfigError(problem);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(problem);
  return key;
}
