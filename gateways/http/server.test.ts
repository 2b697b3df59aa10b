/**
 * The HTTP router and the notifications API against hostile input
 * (property-based, fast-check), on a real node:http server: paths and methods
 * that name prototype members, random JSON bodies (with `__proto__` and
 * `constructor` keys), random bytes on the socket. Every request gets a
 * contract answer (404, 405, 400, 415), none a 500, and the server keeps
 * serving. A body cut short is the client's mistake: a rate-limited warn line,
 * never an error line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import { right } from 'fp-ts/lib/Either.js';
import { clientMistakeLog } from '../shared/errors.ts';
import { capturedLogger, LEVEL } from '../../test/support/log-capture.ts';
import { HttpRouter, startHttpServer, type RunningHttpServer } from './server.ts';
import { mountNotificationsApi, type NotificationsApiDeps } from './notifications.ts';
import {
  hostileKey,
  hostileObject,
  jsonWithOwnProto,
  NETWORK_RUNS,
  PROTOTYPE_KEYS,
  randomBytes,
  RUNS,
} from '../../test/support/hostile.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

describe('HTTP router against hostile input', () => {
  let http: RunningHttpServer;
  let base: string;
  const { logger, lines } = capturedLogger('info');
  const router = new HttpRouter();
  router.on('GET', '/ok', (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  router.mount('GET', '/files/', (_req, res, ctx) => void res.writeHead(ctx.rest === 'a.txt' ? 200 : 404).end());
  // The notifications API with a verifier that accepts any bearer token: the body is what is under test.
  const deps = {
    tokens: { verifyAccessToken: async () => right({ userId: 'u', deviceId: 'd', sessionId: 's', expiresAt: 0 }) },
    sessions: { isActive: async () => true },
    health: async () => ({ nats: 'ok' }),
  } as unknown as NotificationsApiDeps;
  mountNotificationsApi(router, deps);

  before(async () => {
    http = await startHttpServer({ host: '127.0.0.1', port: 0, router, logger, name: 'test', shutdownGraceMs: 100 });
    base = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    await http?.stop();
  });

  const stillServing = async () => {
    const r = await fetch(`${base}/ok`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'ok');
  };

  test('routes are matched by path and method only: prototype names match nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileKey, fc.constantFrom(...METHODS)),
        fc.array(hostileKey, { maxLength: 3 }),
        (method, segments) => {
          const path = `/${segments.join('/')}`;
          const { route, allowed } = router.match(method, path);
          const known = ['/ok', '/health', '/v1/push-tokens'].includes(path) || path.startsWith('/files/');
          if (!known) {
            assert.equal(route, undefined, `${method} ${path}`);
            assert.deepEqual(allowed, []);
          }
          if (route !== undefined) assert.ok((METHODS as readonly string[]).includes(route.method));
        },
      ),
      RUNS,
    );
  });

  test('paths and methods naming prototype members answer 404 or 405 JSON', async () => {
    for (const key of PROTOTYPE_KEYS) {
      for (const method of METHODS) {
        for (const path of [`/${key}`, `/files/${key}`, `/${encodeURIComponent(key)}/${key}`, `/v1/${key}`]) {
          const r = await fetch(`${base}${path}`, { method });
          assert.ok([404, 405].includes(r.status), `${method} ${path}: ${r.status}`);
          if (method !== 'HEAD' && !path.startsWith('/files/'))
            assert.match(r.headers.get('content-type') ?? '', /application\/json/);
          await r.arrayBuffer();
        }
      }
    }
    await stillServing();
  });

  test('random JSON bodies of the push-token API are INVALID_REQUEST naming a field, never a fault', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileObject, fc.jsonValue({ maxDepth: 3 })), async (body) => {
        const r = await fetch(`${base}/v1/push-tokens`, {
          method: 'POST',
          headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const answer = (await r.json()) as { error?: { code: string; details: Record<string, string> } };
        assert.equal(r.status, 400, JSON.stringify(answer));
        assert.equal(answer.error?.code, 'INVALID_REQUEST');
        assert.ok(answer.error?.details['field'], 'the field is named');
      }),
      NETWORK_RUNS,
    );
    // An own __proto__ key lends no field to the body.
    const r = await fetch(`${base}/v1/push-tokens`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: jsonWithOwnProto({ platform: 'fcm', token: 'abc' }),
    });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: { details: { field: string } } }).error.details.field, 'platform');
    await stillServing();
  });

  test('random bytes on the socket are answered or dropped; the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          randomBytes,
          fc
            .constantFrom(...PROTOTYPE_KEYS)
            .map((k) => Buffer.from(`${k} /${k} HTTP/1.1\r\nhost: x\r\n${k}: ${k}\r\n\r\n`)),
        ),
        async (bytes) => {
          const answer = await new Promise<string>((resolve) => {
            const socket = net.connect(http.port, '127.0.0.1', () => socket.end(bytes));
            let text = '';
            socket.on('data', (d) => (text += d.toString('latin1')));
            socket.on('close', () => resolve(text));
            socket.on('error', () => undefined);
            socket.setTimeout(5000, () => socket.destroy());
          });
          if (answer !== '') assert.match(answer, /^HTTP\/1\.1 (400|404|405) /, answer.slice(0, 80));
        },
      ),
      NETWORK_RUNS,
    );
    await stillServing();
  });

  test('bodies cut short are logged at warn, rate-limited, never at error', async () => {
    clientMistakeLog.configure({ perInterval: 3 });
    const before = lines.length;
    try {
      for (let i = 0; i < 30; i++) {
        await new Promise<void>((resolve) => {
          const socket = net.connect(http.port, '127.0.0.1', () => {
            socket.write(
              'POST /v1/push-tokens HTTP/1.1\r\nhost: x\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"platform":',
            );
            setTimeout(() => socket.destroy(), 20);
          });
          socket.on('close', () => resolve());
          socket.on('error', () => undefined);
        });
      }
      const deadline = Date.now() + 10_000;
      while (
        lines.slice(before).filter((l) => l['kind'] === 'request-body-cut-short').length < 3 &&
        Date.now() < deadline
      )
        await sleep(20);
      await stillServing();
      const fresh = lines.slice(before);
      assert.deepEqual(
        fresh.filter((l) => l['level'] >= LEVEL.error).map((l) => l['msg']),
        [],
      );
      const warned = fresh.filter((l) => l['kind'] === 'request-body-cut-short');
      assert.equal(warned.length, 3, 'three lines, the rest counted for the summary');
      assert.ok(warned.every((l) => l['level'] === LEVEL.warn && l['incident'] === undefined));
    } finally {
      clientMistakeLog.configure({ perInterval: 20 });
    }
  });
});
