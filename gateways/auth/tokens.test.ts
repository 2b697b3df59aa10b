import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { pino } from 'pino';
import { silentLogger } from '../../runtime/logger.ts';
import { ConfigError } from '../../runtime/config.ts';
import { hashRefreshToken, KEY_FILE, newRefreshToken, TokenService, type AccessClaims, type TokenConfig, type TokenError } from './tokens.ts';

const TTL = 900;
const T0 = Date.UTC(2030, 0, 1); // a fixed "now" in ms
const subject = { userId: 'user-1', deviceId: 'device-1', sessionId: 'session-1' };
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guardyn-tokens-'));
  tempDirs.push(dir);
  return dir;
}
after(async () => {
  for (const d of tempDirs) await fs.rm(d, { recursive: true, force: true });
});

function pemKey(): { pem: string; key: ReturnType<typeof generateKeyPairSync>['privateKey'] } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), key: privateKey };
}

function config(dataDir: string, jwtPrivateKeyPem?: string): TokenConfig {
  return { dataDir, auth: { jwtPrivateKeyPem, issuer: 'guardyn-test', accessTokenTtlSeconds: TTL } };
}

/** A service whose clock the test moves. */
async function serviceAt(cfg: TokenConfig, cacheSize?: number) {
  const clock = { now: T0 };
  const service = await TokenService.create(cfg, silentLogger, { now: () => clock.now, cacheSize });
  return { service, clock };
}

function expectLeft(result: Either<TokenError, AccessClaims>, reason: TokenError['reason']): TokenError {
  assert.ok(isLeft(result), `expected ${reason}, got ${JSON.stringify(result)}`);
  assert.equal(result.left.reason, reason, result.left.message);
  return result.left;
}

const ourKey = pemKey();
const sharedConfig = config(os.tmpdir(), ourKey.pem);

/** Signs arbitrary claims with our key, the way an attacker holding the key could not but a bug might. */
function craft(claims: Record<string, unknown>, key = ourKey.key, exp = T0 / 1000 + 60) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).setIssuer('guardyn-test')
    .setSubject('user-1').setIssuedAt(T0 / 1000).setExpirationTime(exp).setJti('j').sign(key);
}

describe('access tokens', () => {
  test('issue then verify returns the subject, with claims, header and expiry as specified', async () => {
    const { service: issuer } = await serviceAt(sharedConfig);
    const { service: verifier } = await serviceAt(sharedConfig); // a cold cache: the signature is checked
    const issued = await issuer.issueAccessToken(subject);
    assert.equal(issued.expiresIn, TTL);
    assert.equal(issued.expiresAt, T0 / 1000 + TTL);

    const verified = await verifier.verifyAccessToken(issued.token);
    assert.ok(isRight(verified));
    assert.deepEqual(verified.right, { ...subject, expiresAt: issued.expiresAt });

    const claims = decodeJwt(issued.token);
    assert.equal(claims.sub, 'user-1');
    assert.equal(claims['did'], 'device-1');
    assert.equal(claims['sid'], 'session-1');
    assert.equal(claims['typ'], 'access');
    assert.equal(claims.iss, 'guardyn-test');
    assert.equal(claims.iat, T0 / 1000);
    assert.equal(claims.exp, T0 / 1000 + TTL);
    assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
    const header = decodeProtectedHeader(issued.token);
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.kid, issuer.publicJwk().kid);
    assert.notEqual((await issuer.issueAccessToken(subject)).token, issued.token, 'jti makes every token unique');
  });

  test('a token is valid until the second before exp and expired from exp on', async () => {
    const { service: issuer } = await serviceAt(sharedConfig);
    const issued = await issuer.issueAccessToken(subject);
    const { service: late, clock } = await serviceAt(sharedConfig);
    clock.now = (issued.expiresAt - 1) * 1000;
    assert.ok(isRight(await late.verifyAccessToken(issued.token)));
    const { service: expiredView, clock: clock2 } = await serviceAt(sharedConfig);
    clock2.now = issued.expiresAt * 1000;
    const err = expectLeft(await expiredView.verifyAccessToken(issued.token), 'expired');
    assert.ok(!err.message.includes(issued.token));
  });

  test('a cached verification stops being valid at exp and is dropped from the cache', async () => {
    const { service, clock } = await serviceAt(sharedConfig);
    const issued = await service.issueAccessToken(subject);
    assert.ok(isRight(await service.verifyAccessToken(issued.token)));
    assert.equal(service.cachedVerifications, 1);
    assert.ok(isRight(await service.verifyAccessToken(issued.token)), 'served from the cache');
    assert.equal(service.cachedVerifications, 1);
    clock.now = issued.expiresAt * 1000 + 1;
    expectLeft(await service.verifyAccessToken(issued.token), 'expired');
    assert.equal(service.cachedVerifications, 0);
  });

  test('the cache is bounded, evicting the least recently used token', async () => {
    const { service } = await serviceAt(sharedConfig, 2);
    const [a, b, c] = await Promise.all([1, 2, 3].map((i) => service.issueAccessToken({ ...subject, sessionId: `s${i}` })));
    assert.ok(a && b && c);
    await service.verifyAccessToken(a.token);
    await service.verifyAccessToken(b.token);
    await service.verifyAccessToken(a.token); // a is now the most recent
    await service.verifyAccessToken(c.token); // evicts b
    assert.equal(service.cachedVerifications, 2);
    const results = await Promise.all([a, b, c].map((x) => service.verifyAccessToken(x.token)));
    assert.ok(results.every(isRight), 'evicted tokens are verified again, not refused');
  });

  test('a token signed with another key is refused as bad-signature', async () => {
    const { service } = await serviceAt(sharedConfig);
    const forged = await craft({ typ: 'access', did: 'device-1', sid: 'session-1' }, pemKey().key);
    expectLeft(await service.verifyAccessToken(forged), 'bad-signature');
    // Also when the forged token claims to be already expired: the signature is judged first.
    const forgedExpired = await craft({ typ: 'access', did: 'd', sid: 's' }, pemKey().key, T0 / 1000 - 10);
    expectLeft(await service.verifyAccessToken(forgedExpired), 'bad-signature');
  });

  test('a token whose payload was altered is refused', async () => {
    const { service } = await serviceAt(sharedConfig);
    const issued = await service.issueAccessToken(subject);
    const [header, payload, signature] = issued.token.split('.');
    assert.ok(header && payload && signature);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expectLeft(await service.verifyAccessToken(`${header}.${forgedPayload}.${signature}`), 'bad-signature');
    // A flipped signature character as well.
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expectLeft(await service.verifyAccessToken(`${header}.${payload}.${flipped}`), 'bad-signature');
  });

  test('tokens with other algorithms (none, HS256) are refused', async () => {
    const { service } = await serviceAt(sharedConfig);
    const unsecured = new UnsecuredJWT({ typ: 'access', did: 'd', sid: 's' }).setSubject('u').setIssuer('guardyn-test').setExpirationTime(T0 / 1000 + 60).encode();
    // "none" tokens end with an empty signature: not a compact JWS we accept.
    expectLeft(await service.verifyAccessToken(unsecured), 'malformed');
    const hs = await new SignJWT({ typ: 'access', did: 'd', sid: 's' }).setProtectedHeader({ alg: 'HS256' })
      .setSubject('u').setIssuer('guardyn-test').setIssuedAt(T0 / 1000).setExpirationTime(T0 / 1000 + 60).setJti('j')
      .sign(new Uint8Array(32));
    expectLeft(await service.verifyAccessToken(hs), 'bad-signature');
  });

  test('a JWT of another type, signed with our key, is never an access token', async () => {
    const { service } = await serviceAt(sharedConfig);
    expectLeft(await service.verifyAccessToken(await craft({ typ: 'refresh', did: 'd', sid: 's' })), 'wrong-type');
    expectLeft(await service.verifyAccessToken(await craft({ did: 'd', sid: 's' })), 'wrong-type');
  });

  test('a token with our signature but missing claims or another issuer is malformed', async () => {
    const { service } = await serviceAt(sharedConfig);
    expectLeft(await service.verifyAccessToken(await craft({ typ: 'access', did: 'd' })), 'malformed');
    expectLeft(await service.verifyAccessToken(await craft({ typ: 'access', did: '', sid: 's' })), 'malformed');
    const otherIssuer = await new SignJWT({ typ: 'access', did: 'd', sid: 's' }).setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('someone-else').setSubject('u').setIssuedAt(T0 / 1000).setExpirationTime(T0 / 1000 + 60).setJti('j').sign(ourKey.key);
    expectLeft(await service.verifyAccessToken(otherIssuer), 'malformed');
    const noJti = await new SignJWT({ typ: 'access', did: 'd', sid: 's' }).setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('guardyn-test').setSubject('u').setIssuedAt(T0 / 1000).setExpirationTime(T0 / 1000 + 60).sign(ourKey.key);
    expectLeft(await service.verifyAccessToken(noJti), 'malformed');
  });

  test('empty and malformed strings are refused without throwing', async () => {
    const { service } = await serviceAt(sharedConfig);
    expectLeft(await service.verifyAccessToken(''), 'missing');
    for (const bad of ['abc', '...', 'a.b.c', 'a.b.c.d', 'Bearer x.y.z', `${'a'.repeat(5000)}.b.c`, 'é.é.é', 'eyJub3QiOiJhbGcifQ.e30.c2ln']) {
      expectLeft(await service.verifyAccessToken(bad), 'malformed');
    }
    // A valid EdDSA header with a garbage payload: the signature is checked first, and fails.
    expectLeft(await service.verifyAccessToken('eyJhbGciOiJFZERTQSJ9.eyJ9.c2ln'), 'bad-signature');
    assert.equal(service.cachedVerifications, 0);
  });
});

describe('the signing key', () => {
  test('is generated once under dataDir/keys (mode 0600) and reused by later instances', async () => {
    const dataDir = await tempDir();
    const { service: first } = await serviceAt(config(dataDir));
    const file = path.join(dataDir, KEY_FILE);
    const stat = await fs.stat(file);
    assert.equal(stat.mode & 0o777, 0o600);
    assert.match(await fs.readFile(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.deepEqual((await fs.readdir(path.dirname(file))).sort(), ['jwt-ed25519.pem'], 'no temp file left behind');

    const { service: second } = await serviceAt(config(dataDir));
    assert.deepEqual(second.publicJwk(), first.publicJwk());
    const issued = await first.issueAccessToken(subject);
    assert.ok(isRight(await second.verifyAccessToken(issued.token)));

    const { service: otherDir } = await serviceAt(config(await tempDir()));
    expectLeft(await otherDir.verifyAccessToken(issued.token), 'bad-signature');
  });

  test('instances starting together on an empty dataDir agree on one key', async () => {
    const dataDir = await tempDir();
    const services = await Promise.all([1, 2, 3, 4].map(() => serviceAt(config(dataDir))));
    const kids = new Set(services.map(({ service }) => service.publicJwk().kid));
    assert.equal(kids.size, 1);
  });

  test('a configured PEM is used (also with escaped newlines) and no key file is written', async () => {
    const dataDir = await tempDir();
    const { service: plain } = await serviceAt(config(dataDir, ourKey.pem));
    const { service: escaped } = await serviceAt(config(dataDir, ourKey.pem.replace(/\n/g, '\\n')));
    assert.deepEqual(escaped.publicJwk(), plain.publicJwk());
    await assert.rejects(fs.stat(path.join(dataDir, KEY_FILE)), { code: 'ENOENT' });
    const issued = await plain.issueAccessToken(subject);
    assert.ok(isRight(await escaped.verifyAccessToken(issued.token)));
  });

  test('an unusable key stops the start with a ConfigError naming its source', async () => {
    const dataDir = await tempDir();
    await assert.rejects(TokenService.create(config(dataDir, 'not a pem'), silentLogger), (e: unknown) =>
      e instanceof ConfigError && e.message.includes('GUARDYN_AUTH__JWT_PRIVATE_KEY'));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await assert.rejects(TokenService.create(config(dataDir, rsa), silentLogger), ConfigError);
    await fs.mkdir(path.join(dataDir, 'keys'));
    await fs.writeFile(path.join(dataDir, KEY_FILE), 'garbage', { mode: 0o600 });
    await assert.rejects(TokenService.create(config(dataDir), silentLogger), (e: unknown) =>
      e instanceof ConfigError && e.message.includes(KEY_FILE));
  });

  test('publicJwk is the public half only, and logs never carry key material', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const logger = pino({ level: 'debug' }, sink);
    const service = await TokenService.create(config(await tempDir()), logger);
    const jwk = service.publicJwk();
    assert.equal(jwk.kty, 'OKP');
    assert.equal(jwk.crv, 'Ed25519');
    assert.equal(jwk.alg, 'EdDSA');
    assert.equal(jwk.use, 'sig');
    assert.equal(typeof jwk.kid, 'string');
    assert.equal(jwk.d, undefined, 'no private part');
    assert.ok(lines.length > 0);
    assert.ok(lines.every((l) => !l.includes('PRIVATE KEY')));
  });
});

describe('refresh tokens', () => {
  test('are 32 random bytes in base64url with their SHA-256 hex', () => {
    const a = newRefreshToken();
    const b = newRefreshToken();
    assert.match(a.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(a.token, 'base64url').length, 32);
    assert.notEqual(a.token, b.token);
    assert.equal(a.hash, createHash('sha256').update(a.token).digest('hex'));
    assert.equal(hashRefreshToken(a.token), a.hash);
    assert.match(a.hash, /^[0-9a-f]{64}$/);
  });

  test('are available on the service too', async () => {
    const { service } = await serviceAt(sharedConfig);
    const r = service.newRefreshToken();
    assert.equal(service.hashRefreshToken(r.token), r.hash);
  });
});
