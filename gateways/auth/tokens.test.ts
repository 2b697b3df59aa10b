import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { pino } from 'pino';
import { silentLogger } from '../../runtime/logger.ts';
import { ConfigError } from '../../runtime/config.ts';
import {
  hashRefreshToken,
  KEY_FILE,
  newRefreshToken,
  TokenService,
  type AccessClaims,
  type TokenConfig,
  type TokenError,
} from './tokens.ts';

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
  return {
    dataDir,
    auth: { jwtPrivateKeyPem, issuer: 'guardyn-test', audience: 'guardyn-test-aud', accessTokenTtlSeconds: TTL },
  };
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
const ourKid = (await serviceAt(sharedConfig)).service.activeKid;

/** Signs arbitrary claims with our key (and kid), the way an attacker holding the key could not but a bug might. */
function craft(claims: Record<string, unknown>, key = ourKey.key, exp = T0 / 1000 + 60, audience = 'guardyn-test-aud') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: ourKid })
    .setIssuer('guardyn-test')
    .setAudience(audience)
    .setSubject('user-1')
    .setIssuedAt(T0 / 1000)
    .setExpirationTime(exp)
    .setJti('j')
    .sign(key);
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
    assert.equal(claims.aud, 'guardyn-test-aud');
    assert.equal(claims.iat, T0 / 1000);
    assert.equal(claims.exp, T0 / 1000 + TTL);
    assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
    const header = decodeProtectedHeader(issued.token);
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.typ, 'JWT');
    assert.equal(header.kid, issuer.publicJwk().kid);
    assert.equal(header.kid, ourKid);
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
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map((i) => service.issueAccessToken({ ...subject, sessionId: `s${i}` })),
    );
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
    const unsecured = new UnsecuredJWT({ typ: 'access', did: 'd', sid: 's' })
      .setSubject('u')
      .setIssuer('guardyn-test')
      .setExpirationTime(T0 / 1000 + 60)
      .encode();
    // "none" tokens end with an empty signature: not a compact JWS we accept.
    expectLeft(await service.verifyAccessToken(unsecured), 'malformed');
    // alg none naming our kid, with some bytes where the signature would be.
    const issued = await service.issueAccessToken(subject);
    const [, payload] = issued.token.split('.');
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: ourKid })).toString('base64url');
    expectLeft(await service.verifyAccessToken(`${noneHeader}.${payload}.c2ln`), 'bad-signature');
    const hs = await new SignJWT({ typ: 'access', did: 'd', sid: 's' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('guardyn-test')
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 60)
      .setJti('j')
      .sign(new Uint8Array(32));
    expectLeft(await service.verifyAccessToken(hs), 'bad-signature');
  });

  test('HS256 signed with our public key as the secret (key confusion) is refused', async () => {
    const { service } = await serviceAt(sharedConfig);
    const publicPem = createPublicKey(ourKey.key).export({ format: 'pem', type: 'spki' }).toString();
    for (const secret of [
      Buffer.from(publicPem),
      Buffer.from(JSON.stringify(service.publicJwk())),
      Buffer.from(String(service.publicJwk().x), 'base64url'),
    ]) {
      const forged = await new SignJWT({ typ: 'access', did: 'd', sid: 's' })
        .setProtectedHeader({ alg: 'HS256', kid: ourKid })
        .setSubject('u')
        .setIssuer('guardyn-test')
        .setAudience('guardyn-test-aud')
        .setIssuedAt(T0 / 1000)
        .setExpirationTime(T0 / 1000 + 60)
        .setJti('j')
        .sign(new Uint8Array(secret));
      expectLeft(await service.verifyAccessToken(forged), 'bad-signature');
    }
  });

  test('a token for another audience, or without one, is refused', async () => {
    const { service } = await serviceAt(sharedConfig);
    const other = await craft({ typ: 'access', did: 'd', sid: 's' }, ourKey.key, T0 / 1000 + 60, 'some-other-service');
    assert.match(expectLeft(await service.verifyAccessToken(other), 'malformed').message, /"aud"/);
    const none = await new SignJWT({ typ: 'access', did: 'd', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', kid: ourKid })
      .setIssuer('guardyn-test')
      .setSubject('u')
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 60)
      .setJti('j')
      .sign(ourKey.key);
    expectLeft(await service.verifyAccessToken(none), 'malformed');
    // The same token is fine for a service configured with that audience.
    const { service: otherService } = await serviceAt({
      ...sharedConfig,
      auth: { ...sharedConfig.auth, audience: 'some-other-service' },
    });
    assert.ok(isRight(await otherService.verifyAccessToken(other)));
    assert.equal(decodeJwt((await otherService.issueAccessToken(subject)).token).aud, 'some-other-service');
  });

  test("a token must name a key of the set (kid) and that key's algorithm", async () => {
    const { service } = await serviceAt(sharedConfig);
    const claims = { typ: 'access', did: 'd', sid: 's' };
    const build = (header: Record<string, unknown>, key = ourKey.key) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', ...header })
        .setIssuer('guardyn-test')
        .setAudience('guardyn-test-aud')
        .setSubject('u')
        .setIssuedAt(T0 / 1000)
        .setExpirationTime(T0 / 1000 + 60)
        .setJti('j')
        .sign(key);
    assert.ok(isRight(await service.verifyAccessToken(await build({ kid: ourKid }))), 'the well-formed token verifies');
    expectLeft(await service.verifyAccessToken(await build({})), 'bad-signature');
    expectLeft(await service.verifyAccessToken(await build({ kid: 'unknown-kid' })), 'bad-signature');
    // Our kid, another key's signature.
    expectLeft(await service.verifyAccessToken(await build({ kid: ourKid }, pemKey().key)), 'bad-signature');
    // Our kid with an ES256 signature: the key's algorithm is EdDSA.
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expectLeft(await service.verifyAccessToken(await build({ kid: ourKid, alg: 'ES256' }, p256)), 'bad-signature');
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
    const otherIssuer = await new SignJWT({ typ: 'access', did: 'd', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', kid: ourKid })
      .setIssuer('someone-else')
      .setAudience('guardyn-test-aud')
      .setSubject('u')
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 60)
      .setJti('j')
      .sign(ourKey.key);
    expectLeft(await service.verifyAccessToken(otherIssuer), 'malformed');
    const noJti = await new SignJWT({ typ: 'access', did: 'd', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', kid: ourKid })
      .setIssuer('guardyn-test')
      .setAudience('guardyn-test-aud')
      .setSubject('u')
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 60)
      .sign(ourKey.key);
    expectLeft(await service.verifyAccessToken(noJti), 'malformed');
  });

  test('empty and malformed strings are refused without throwing', async () => {
    const { service } = await serviceAt(sharedConfig);
    expectLeft(await service.verifyAccessToken(''), 'missing');
    for (const bad of [
      'abc',
      '...',
      'a.b.c',
      'a.b.c.d',
      'Bearer x.y.z',
      `${'a'.repeat(5000)}.b.c`,
      'é.é.é',
      'eyJub3QiOiJhbGcifQ.e30.c2ln',
    ]) {
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
    await assert.rejects(
      TokenService.create(config(dataDir, 'not a pem'), silentLogger),
      (e: unknown) => e instanceof ConfigError && e.message.includes('GUARDYN_AUTH__JWT_PRIVATE_KEY'),
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    await assert.rejects(TokenService.create(config(dataDir, rsa), silentLogger), ConfigError);
    await fs.mkdir(path.join(dataDir, 'keys'));
    await fs.writeFile(path.join(dataDir, KEY_FILE), 'garbage', { mode: 0o600 });
    await assert.rejects(
      TokenService.create(config(dataDir), silentLogger),
      (e: unknown) => e instanceof ConfigError && e.message.includes(KEY_FILE),
    );
  });

  test('publicJwk is the public half only, and logs never carry key material', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
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

describe('the key set (GUARDYN_AUTH__JWT_KEYS_DIR)', () => {
  const p256Pem = () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

  /** Writes `<kid>.pem` (mode 0600) with its modification time at `mtimeMs`. */
  async function writeKey(dir: string, kid: string, pem: string, mtimeMs: number): Promise<void> {
    const file = path.join(dir, `${kid}.pem`);
    await fs.writeFile(file, pem, { mode: 0o600 });
    await fs.utimes(file, mtimeMs / 1000, mtimeMs / 1000);
  }

  function dirConfig(dir: string, extra: Partial<TokenConfig['auth']> = {}): TokenConfig {
    return {
      dataDir: dir,
      auth: {
        ...config(dir).auth,
        jwtKeysDir: dir,
        jwtKeysReloadSeconds: 0,
        jwtKeyActivationDelaySeconds: 120,
        ...extra,
      },
    };
  }

  test('rotation: a new key verifies at once, signs after the activation delay; old tokens verify until their key is removed', async () => {
    const dir = await tempDir();
    await writeKey(dir, 'key-2029', pemKey().pem, T0 - 3600_000);
    const { service: gatewayA, clock } = await serviceAt(dirConfig(dir));
    const { service: gatewayB, clock: clockB } = await serviceAt(dirConfig(dir));
    assert.equal(gatewayA.activeKid, 'key-2029');
    const oldToken = await gatewayA.issueAccessToken(subject);
    assert.equal(decodeProtectedHeader(oldToken.token).kid, 'key-2029');
    assert.ok(isRight(await gatewayA.verifyAccessToken(oldToken.token)), 'cached on A from now on');

    // A new key arrives: every instance accepts it at its next reload, none signs with it yet.
    await writeKey(dir, 'key-2030', p256Pem(), T0);
    await Promise.all([gatewayA.reloadKeys(), gatewayB.reloadKeys()]);
    assert.equal(gatewayA.activeKid, 'key-2029');
    assert.deepEqual(
      gatewayB
        .publicJwks()
        .keys.map((k) => [k.kid, k.alg])
        .sort(),
      [
        ['key-2029', 'EdDSA'],
        ['key-2030', 'ES256'],
      ],
    );

    // After the delay the new key signs; tokens of the old key still verify.
    clock.now = clockB.now = T0 + 121_000;
    await Promise.all([gatewayA.reloadKeys(), gatewayB.reloadKeys()]);
    assert.equal(gatewayA.activeKid, 'key-2030');
    const newToken = await gatewayA.issueAccessToken(subject);
    assert.deepEqual(
      [decodeProtectedHeader(newToken.token).kid, decodeProtectedHeader(newToken.token).alg],
      ['key-2030', 'ES256'],
    );
    for (const t of [oldToken, newToken]) {
      assert.ok(isRight(await gatewayB.verifyAccessToken(t.token)), 'verified by the other instance');
      assert.ok(isRight(await gatewayA.verifyAccessToken(t.token)));
    }

    // The old key is removed: its tokens are refused, from the cache too.
    await fs.rm(path.join(dir, 'key-2029.pem'));
    await Promise.all([gatewayA.reloadKeys(), gatewayB.reloadKeys()]);
    expectLeft(await gatewayA.verifyAccessToken(oldToken.token), 'bad-signature');
    expectLeft(await gatewayB.verifyAccessToken(oldToken.token), 'bad-signature');
    const { service: cold } = await serviceAt(dirConfig(dir));
    expectLeft(await cold.verifyAccessToken(oldToken.token), 'bad-signature');
    assert.ok(isRight(await cold.verifyAccessToken(newToken.token)));
  });

  test('GUARDYN_AUTH__JWT_ACTIVE_KID names the signing key; the newest key wins without it', async () => {
    const dir = await tempDir();
    await writeKey(dir, 'a', pemKey().pem, T0 - 7200_000);
    await writeKey(dir, 'b', pemKey().pem, T0 - 3600_000);
    assert.equal((await serviceAt(dirConfig(dir))).service.activeKid, 'b');
    const { service } = await serviceAt(dirConfig(dir, { jwtActiveKid: 'a' }));
    assert.equal(service.activeKid, 'a');
    assert.equal(decodeProtectedHeader((await service.issueAccessToken(subject)).token).kid, 'a');
    await assert.rejects(
      TokenService.create(dirConfig(dir, { jwtActiveKid: 'c' }), silentLogger),
      (e: unknown) => e instanceof ConfigError && e.message.includes('GUARDYN_AUTH__JWT_ACTIVE_KID=c'),
    );
    // When no key has waited long enough (a fresh deployment), the newest signs at once.
    const fresh = await tempDir();
    await writeKey(fresh, 'only', pemKey().pem, T0);
    assert.equal((await serviceAt(dirConfig(fresh))).service.activeKid, 'only');
  });

  test('a broken directory stops the start; a broken reload keeps the previous set', async () => {
    const dir = await tempDir();
    await assert.rejects(
      TokenService.create(dirConfig(dir), silentLogger),
      (e: unknown) => e instanceof ConfigError && e.message.includes('no <kid>.pem'),
    );
    await fs.writeFile(path.join(dir, 'README.txt'), 'not a key, ignored');
    await fs.writeFile(path.join(dir, 'bad name!.pem'), 'ignored: not a kid');
    await writeKey(dir, 'good', pemKey().pem, T0 - 3600_000);
    const { service } = await serviceAt(dirConfig(dir));
    assert.deepEqual(
      service.publicJwks().keys.map((k) => k.kid),
      ['good'],
    );
    const token = await service.issueAccessToken(subject);

    await writeKey(dir, 'broken', 'garbage', T0);
    await assert.rejects(
      TokenService.create(dirConfig(dir), silentLogger),
      (e: unknown) => e instanceof ConfigError && e.message.includes('broken.pem'),
    );
    await service.reloadKeys();
    assert.equal(service.activeKid, 'good');
    assert.ok(isRight(await service.verifyAccessToken(token.token)));

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    await writeKey(dir, 'broken', rsa, T0);
    await assert.rejects(TokenService.create(dirConfig(dir), silentLogger), ConfigError);
    await fs.rm(path.join(dir, 'broken.pem'));
    // A key of an algorithm the configuration does not allow is refused.
    await writeKey(dir, 'p256', p256Pem(), T0);
    await assert.rejects(
      TokenService.create(dirConfig(dir, { jwtAlgorithms: ['EdDSA'] }), silentLogger),
      (e: unknown) => e instanceof ConfigError && e.message.includes('ES256'),
    );
  });

  test('the directory is read again on its own every jwtKeysReloadSeconds', async () => {
    const dir = await tempDir();
    await writeKey(dir, 'first', pemKey().pem, Date.now() - 3600_000);
    const service = await TokenService.create(dirConfig(dir, { jwtKeysReloadSeconds: 1 }), silentLogger);
    try {
      await writeKey(dir, 'second', pemKey().pem, Date.now());
      const deadline = Date.now() + 5000;
      while (service.publicJwks().keys.length < 2 && Date.now() < deadline) await sleep(100);
      assert.deepEqual(
        service.publicJwks().keys.map((k) => k.kid),
        ['first', 'second'],
      );
      assert.equal(service.activeKid, 'first', 'the new key waits for its activation delay');
    } finally {
      service.close();
    }
  });

  test('a configured P-256 key signs ES256', async () => {
    const { service } = await serviceAt(config(await tempDir(), p256Pem()));
    const issued = await service.issueAccessToken(subject);
    assert.equal(decodeProtectedHeader(issued.token).alg, 'ES256');
    assert.equal(service.publicJwk().crv, 'P-256');
    assert.ok(isRight(await service.verifyAccessToken(issued.token)));
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
