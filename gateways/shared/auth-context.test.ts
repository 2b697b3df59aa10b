import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { generateKeyPairSync } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { silentLogger } from '../../runtime/logger.ts';
import { TokenService, type AccessClaims } from '../auth/tokens.ts';
import { authenticate, type SessionCheck } from './auth-context.ts';
import type { ErrorResponseShape } from './errors.ts';

const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const clock = { now: Date.UTC(2030, 0, 1) };
const tokens = await TokenService.create(
  { dataDir: os.tmpdir(), auth: { jwtPrivateKeyPem: pem, issuer: 'guardyn-test', accessTokenTtlSeconds: 900 } },
  silentLogger,
  { now: () => clock.now },
);
const alice = { userId: 'alice', deviceId: 'phone', sessionId: 's-alice-phone' };
const aliceToken = (await tokens.issueAccessToken(alice)).token;
const aliceToken2 = (await tokens.issueAccessToken(alice)).token; // same session, another token
const bobToken = (await tokens.issueAccessToken({ userId: 'bob', deviceId: 'laptop', sessionId: 's-bob' })).token;

/** Sessions ended so far (the fake SessionCheck), and the checks it was asked. */
const endedSessions = new Set<string>();
const checks: string[] = [];
const sessions: SessionCheck = {
  async isActive(sessionId: string, userId: string) {
    checks.push(`${userId}/${sessionId}`);
    return !endedSessions.has(sessionId);
  },
};

/** A fake server call carrying real grpc-js Metadata. */
function call(...authorization: string[]) {
  const metadata = new grpc.Metadata();
  for (const a of authorization) metadata.add('authorization', a);
  return { metadata };
}

function claims(result: Either<ErrorResponseShape, AccessClaims>): AccessClaims {
  assert.ok(isRight(result), JSON.stringify(result));
  return result.right;
}

function unauthorized(
  result: Either<ErrorResponseShape, AccessClaims>,
  message: string | RegExp,
  details: Record<string, string> = {},
) {
  assert.ok(isLeft(result), `expected UNAUTHORIZED, got ${JSON.stringify(result)}`);
  assert.equal(result.left.code, 'UNAUTHORIZED');
  if (typeof message === 'string') assert.equal(result.left.message, message);
  else assert.match(result.left.message, message);
  assert.deepEqual(result.left.details, details);
}

describe('authenticate', () => {
  test('accepts the access_token field alone', async () => {
    assert.deepEqual(claims(await authenticate(call(), aliceToken, tokens, sessions)), {
      ...alice,
      expiresAt: Date.UTC(2030, 0, 1) / 1000 + 900,
    });
  });

  test('accepts the Bearer metadata alone, with any case of the scheme', async () => {
    for (const header of [`Bearer ${aliceToken}`, `bearer ${aliceToken}`, `BEARER  ${aliceToken} `]) {
      assert.equal(
        claims(await authenticate(call(header), undefined, tokens, sessions)).userId,
        'alice',
        header.slice(0, 8),
      );
    }
    assert.equal(
      claims(await authenticate(call(`Bearer ${aliceToken}`), '', tokens, sessions)).userId,
      'alice',
      "'' is proto3's absent field",
    );
  });

  test('accepts both when they name the same session (same or different token strings)', async () => {
    assert.equal(
      claims(await authenticate(call(`Bearer ${aliceToken}`), aliceToken, tokens, sessions)).sessionId,
      's-alice-phone',
    );
    assert.equal(
      claims(await authenticate(call(`Bearer ${aliceToken2}`), aliceToken, tokens, sessions)).sessionId,
      's-alice-phone',
    );
  });

  test('refuses both when they name different sessions', async () => {
    unauthorized(
      await authenticate(call(`Bearer ${bobToken}`), aliceToken, tokens, sessions),
      /name different sessions/,
    );
  });

  test('refuses both when either one is invalid, saying which', async () => {
    unauthorized(
      await authenticate(call(`Bearer ${aliceToken}`), 'garbage', tokens, sessions),
      'invalid access token',
      { field: 'access_token' },
    );
    unauthorized(await authenticate(call('Bearer garbage'), aliceToken, tokens, sessions), 'invalid access token', {
      metadata: 'authorization',
    });
  });

  test('missing both is "missing access token"', async () => {
    unauthorized(await authenticate(call(), undefined, tokens, sessions), 'missing access token');
    unauthorized(await authenticate(call(), '', tokens, sessions), 'missing access token');
  });

  test('an expired token asks for a refresh', async () => {
    const saved = clock.now;
    clock.now += 901 * 1000;
    try {
      unauthorized(await authenticate(call(), aliceToken, tokens, sessions), 'access token expired: refresh it', {
        field: 'access_token',
      });
      unauthorized(
        await authenticate(call(`Bearer ${aliceToken}`), undefined, tokens, sessions),
        'access token expired: refresh it',
        { metadata: 'authorization' },
      );
    } finally {
      clock.now = saved;
    }
  });

  test('a forged or malformed token is "invalid access token"', async () => {
    const [h, , s] = aliceToken.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'mallory', did: 'x', sid: 'y', typ: 'access' })).toString('base64url')}.${s}`;
    unauthorized(await authenticate(call(), forged, tokens, sessions), 'invalid access token', {
      field: 'access_token',
    });
    unauthorized(await authenticate(call(), 'abc', tokens, sessions), 'invalid access token', {
      field: 'access_token',
    });
  });

  test('authorization metadata that is not one Bearer token is refused', async () => {
    unauthorized(
      await authenticate(call(`Basic ${Buffer.from('a:b').toString('base64')}`), undefined, tokens, sessions),
      /must be 'Bearer <access token>'/,
      { metadata: 'authorization' },
    );
    unauthorized(await authenticate(call('Bearer'), aliceToken, tokens, sessions), /must be 'Bearer <access token>'/, {
      metadata: 'authorization',
    });
    unauthorized(await authenticate(call(aliceToken), undefined, tokens, sessions), /must be 'Bearer <access token>'/, {
      metadata: 'authorization',
    });
    unauthorized(
      await authenticate(call(`Bearer ${aliceToken}`, `Bearer ${aliceToken}`), undefined, tokens, sessions),
      /one authorization metadata entry/,
      { metadata: 'authorization' },
    );
  });

  test("refuses a valid token whose session ended, and asks about the token's own session", async () => {
    checks.length = 0;
    claims(await authenticate(call(), bobToken, tokens, sessions));
    assert.deepEqual(checks, ['bob/s-bob']);
    endedSessions.add('s-bob');
    try {
      unauthorized(await authenticate(call(), bobToken, tokens, sessions), 'session ended');
      unauthorized(await authenticate(call(`Bearer ${bobToken}`), undefined, tokens, sessions), 'session ended');
      // Another session of the same key is unaffected.
      claims(await authenticate(call(), aliceToken, tokens, sessions));
    } finally {
      endedSessions.delete('s-bob');
    }
  });

  test('checks the signature before the session, so a forged token costs no session lookup', async () => {
    checks.length = 0;
    unauthorized(await authenticate(call(), 'a.b.c', tokens, sessions), 'invalid access token', {
      field: 'access_token',
    });
    assert.deepEqual(checks, []);
  });

  test('the error never echoes the token', async () => {
    const result = await authenticate(call(`Bearer ${bobToken}`), aliceToken, tokens, sessions);
    assert.ok(isLeft(result));
    const text = JSON.stringify(result.left);
    assert.ok(!text.includes(aliceToken) && !text.includes(bobToken));
  });
});
