import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';

const refuses = (env: Record<string, string>, pattern: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (e: unknown) => e instanceof ConfigError && pattern.test(e.message),
    JSON.stringify(env),
  );

describe('loadConfig', () => {
  test('GUARDYN_AUTH__SESSION_CACHE_SECONDS: 30 by default, 1-600, a bad value stops the start naming it', () => {
    assert.equal(loadConfig({}).auth.sessionCacheSeconds, 30);
    assert.equal(loadConfig({ GUARDYN_AUTH__SESSION_CACHE_SECONDS: '1' }).auth.sessionCacheSeconds, 1);
    assert.equal(loadConfig({ GUARDYN_AUTH__SESSION_CACHE_SECONDS: '600' }).auth.sessionCacheSeconds, 600);
    for (const bad of ['0', '601', 'soon', '-5', '1.5'])
      refuses({ GUARDYN_AUTH__SESSION_CACHE_SECONDS: bad }, /GUARDYN_AUTH__SESSION_CACHE_SECONDS/);
  });

  test('defaults: production Argon2id, 15 min / 30 day tokens, audience guardyn, both algorithms, default limits', () => {
    const c = loadConfig({});
    assert.deepEqual(c.auth.argon2, { memoryKiB: 19456, passes: 2, parallelism: 1, allowWeak: false });
    assert.equal(c.auth.accessTokenTtlSeconds, 900);
    assert.equal(c.auth.refreshTokenTtlSeconds, 30 * 86400);
    assert.equal(c.auth.audience, 'guardyn');
    assert.equal(c.auth.issuer, 'guardyn');
    assert.deepEqual(c.auth.jwtAlgorithms, ['EdDSA', 'ES256']);
    assert.equal(c.auth.jwtKeysDir, undefined);
    assert.equal(c.auth.jwtKeysReloadSeconds, 60);
    assert.equal(c.auth.jwtKeyActivationDelaySeconds, 120);
    assert.deepEqual(c.limits, {
      loginFailuresPerAccount: { max: 10, windowSeconds: 900 },
      loginFailuresPerAddress: { max: 100, windowSeconds: 900 },
      loginFailuresPerAccountAddress: { max: 10, windowSeconds: 900 },
      registrationsPerAddress: { max: 30, windowSeconds: 60 },
      searchesPerAddress: { max: 60, windowSeconds: 60 },
      maxTrackedKeys: 100_000,
      streamsPerUser: 20,
      streamsPerDevice: 8,
      clientAddressHeader: undefined,
    });
  });

  test('thumbnail limits: pixel budget, workers, worker memory and time; a bad value names its variable', () => {
    const c = loadConfig({});
    assert.deepEqual(
      [
        c.media.thumbnailMaxPixels,
        c.media.thumbnailWorkers,
        c.media.thumbnailWorkerMemoryMb,
        c.media.thumbnailTimeoutMs,
      ],
      [40_000_000, 1, 256, 30_000],
    );
    const set = loadConfig({
      GUARDYN_MEDIA__THUMBNAIL_MAX_PIXELS: '1000000',
      GUARDYN_MEDIA__THUMBNAIL_WORKERS: '2',
      GUARDYN_MEDIA__THUMBNAIL_WORKER_MEMORY_MB: '512',
      GUARDYN_MEDIA__THUMBNAIL_TIMEOUT_MS: '5000',
    });
    assert.deepEqual(
      [
        set.media.thumbnailMaxPixels,
        set.media.thumbnailWorkers,
        set.media.thumbnailWorkerMemoryMb,
        set.media.thumbnailTimeoutMs,
      ],
      [1_000_000, 2, 512, 5000],
    );
    refuses({ GUARDYN_MEDIA__THUMBNAIL_MAX_PIXELS: '0' }, /GUARDYN_MEDIA__THUMBNAIL_MAX_PIXELS="0"/);
    refuses({ GUARDYN_MEDIA__THUMBNAIL_WORKER_MEMORY_MB: '8' }, /GUARDYN_MEDIA__THUMBNAIL_WORKER_MEMORY_MB="8"/);
    refuses({ GUARDYN_MEDIA__THUMBNAIL_TIMEOUT_MS: 'soon' }, /GUARDYN_MEDIA__THUMBNAIL_TIMEOUT_MS="soon"/);
  });

  test('Argon2id below the OWASP minimum is refused unless GUARDYN_AUTH__ARGON2_ALLOW_WEAK=1', () => {
    refuses(
      { GUARDYN_AUTH__ARGON2_MEMORY_KIB: '1024', GUARDYN_AUTH__ARGON2_PASSES: '1' },
      /OWASP minimum.*GUARDYN_AUTH__ARGON2_ALLOW_WEAK=1/,
    );
    refuses({ GUARDYN_AUTH__ARGON2_MEMORY_KIB: '19455' }, /GUARDYN_AUTH__ARGON2_MEMORY_KIB=19455/);
    refuses({ GUARDYN_AUTH__ARGON2_PASSES: '1' }, /GUARDYN_AUTH__ARGON2_PASSES=1/);
    refuses({ GUARDYN_AUTH__ARGON2_MEMORY_KIB: '7167', GUARDYN_AUTH__ARGON2_PASSES: '10' }, /OWASP/);
    const weak = loadConfig({
      GUARDYN_AUTH__ARGON2_MEMORY_KIB: '1024',
      GUARDYN_AUTH__ARGON2_PASSES: '1',
      GUARDYN_AUTH__ARGON2_ALLOW_WEAK: '1',
    });
    assert.deepEqual(weak.auth.argon2, { memoryKiB: 1024, passes: 1, parallelism: 1, allowWeak: true });
    refuses({ GUARDYN_AUTH__ARGON2_ALLOW_WEAK: 'maybe' }, /GUARDYN_AUTH__ARGON2_ALLOW_WEAK="maybe" must be 1 or 0/);
    refuses({ GUARDYN_AUTH__ARGON2_MEMORY_KIB: '1024', GUARDYN_AUTH__ARGON2_ALLOW_WEAK: '0' }, /OWASP/);
  });

  test("OWASP's equivalent Argon2id settings are accepted", () => {
    for (const [m, t] of [
      [47104, 1],
      [19456, 2],
      [12288, 3],
      [9216, 4],
      [7168, 5],
      [65536, 3],
    ] as const) {
      const c = loadConfig({ GUARDYN_AUTH__ARGON2_MEMORY_KIB: String(m), GUARDYN_AUTH__ARGON2_PASSES: String(t) });
      assert.equal(c.auth.argon2.memoryKiB, m);
      assert.equal(c.auth.argon2.passes, t);
    }
  });

  test('limits are configurable; 0 turns one off; bad values name the variable', () => {
    const c = loadConfig({
      GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT: '5',
      GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_WINDOW_SECONDS: '60',
      GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS: '0',
      GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: '3',
      GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS_WINDOW_SECONDS: '120',
      GUARDYN_LIMITS__SEARCHES_PER_ADDRESS_WINDOW_SECONDS: '10',
      GUARDYN_LIMITS__MAX_TRACKED_KEYS: '1000',
      GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER: 'X-Forwarded-For',
    });
    assert.deepEqual(c.limits.loginFailuresPerAccount, { max: 5, windowSeconds: 60 });
    assert.deepEqual(c.limits.registrationsPerAddress, { max: 0, windowSeconds: 60 });
    assert.deepEqual(c.limits.loginFailuresPerAccountAddress, { max: 3, windowSeconds: 120 });
    assert.deepEqual(c.limits.searchesPerAddress, { max: 60, windowSeconds: 10 });
    assert.equal(c.limits.maxTrackedKeys, 1000);
    assert.equal(c.limits.clientAddressHeader, 'x-forwarded-for');
    refuses({ GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS: '-1' }, /GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS="-1"/);
    refuses(
      { GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: 'ten' },
      /GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS="ten"/,
    );
    refuses(
      { GUARDYN_LIMITS__SEARCHES_PER_ADDRESS_WINDOW_SECONDS: '0' },
      /GUARDYN_LIMITS__SEARCHES_PER_ADDRESS_WINDOW_SECONDS="0" must be between 1/,
    );
    refuses({ GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER: 'not a header' }, /GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER/);
  });

  test('JWT key set settings', () => {
    const c = loadConfig({
      GUARDYN_AUTH__JWT_KEYS_DIR: 'keys',
      GUARDYN_AUTH__JWT_ACTIVE_KID: '2030-01',
      GUARDYN_AUTH__AUDIENCE: 'guardyn-eu',
      GUARDYN_AUTH__JWT_ALGORITHMS: 'ES256',
    });
    assert.equal(c.auth.jwtKeysDir, path.resolve('keys'));
    assert.equal(c.auth.jwtActiveKid, '2030-01');
    assert.equal(c.auth.audience, 'guardyn-eu');
    assert.deepEqual(c.auth.jwtAlgorithms, ['ES256']);
    refuses({ GUARDYN_AUTH__JWT_KEYS_DIR: 'keys', GUARDYN_AUTH__JWT_PRIVATE_KEY: 'pem' }, /not both/);
    refuses({ GUARDYN_AUTH__JWT_ACTIVE_KID: 'a' }, /GUARDYN_AUTH__JWT_KEYS_DIR, which is not set/);
    refuses(
      { GUARDYN_AUTH__JWT_KEYS_DIR: 'keys', GUARDYN_AUTH__JWT_ACTIVE_KID: '../etc' },
      /GUARDYN_AUTH__JWT_ACTIVE_KID/,
    );
    for (const algs of ['HS256', 'none', 'EdDSA,RS256', ','])
      refuses({ GUARDYN_AUTH__JWT_ALGORITHMS: algs }, /never none or HS/);
  });
});
