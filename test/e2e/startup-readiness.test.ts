/**
 * Ready means ready, against a real nats-server and every role in one process:
 * while Guardyn starts, clients poll its ports. The first answer of the HTTP
 * port (notifications, gRPC-Web, web client) to `GET /` is the web client,
 * never a 404; grpc.health.v1 on the first gRPC port says NOT_SERVING until
 * every role serves, SERVING then, and NOT_SERVING again once the shutdown
 * begins. `GET /health` answers 503 `starting` / `stopping` outside serving.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { right } from 'fp-ts/lib/Either.js';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, type TestGuardyn } from '../support/guardyn.ts';
import { freePort } from '../../runtime/free-port.ts';
import { ROLES } from '../../bin/app.ts';
import { Readiness } from '../../runtime/readiness.ts';
import { HttpRouter, startHttpServer } from '../../gateways/http/server.ts';
import { mountNotificationsApi, type NotificationsApiDeps } from '../../gateways/http/notifications.ts';
import { silentLogger } from '../../runtime/logger.ts';

type HealthClient = grpc.Client & {
  check(
    req: object,
    opts: object,
    cb: (err: grpc.ServiceError | null, res?: { status?: string | number }) => void,
  ): void;
};
const HealthClient = grpc.makeGenericClientConstructor(healthService, 'Health') as unknown as new (
  address: string,
  creds: grpc.ChannelCredentials,
  options: grpc.ChannelOptions,
) => HealthClient;
/** Reconnects at once while the port is still closed (the default back-off waits a second and more). */
const EAGER = { 'grpc.initial_reconnect_backoff_ms': 10, 'grpc.max_reconnect_backoff_ms': 20 };

/** grpc.health.v1 Check on `client`: the status name, or undefined when nothing answers yet. */
function check(client: HealthClient): Promise<string | undefined> {
  return new Promise((resolve) => {
    client.check({ service: '' }, { deadline: Date.now() + 1000 }, (err, res) =>
      resolve(err !== null ? undefined : String(res?.status)),
    );
  });
}

describe('readiness at start and stop', () => {
  let nats: TestNatsServer;
  before(async () => {
    nats = await withNatsServer();
  });
  after(async () => {
    await nats?.stop();
  });

  it('the HTTP port opens with every route; gRPC health is NOT_SERVING until every role serves', async () => {
    const httpPort = await freePort();
    const authPort = await freePort();
    const health = new HealthClient(`127.0.0.1:${authPort}`, grpc.credentials.createInsecure(), EAGER);
    const seen: string[] = [];
    let firstPage: { status: number; type: string | null } | undefined;
    let started = false;
    // Pollers, running while the process starts.
    const pollHttp = (async () => {
      while (firstPage === undefined) {
        try {
          const r = await fetch(`http://127.0.0.1:${httpPort}/`);
          firstPage = { status: r.status, type: r.headers.get('content-type') };
          await r.arrayBuffer();
        } catch {
          await sleep(5); // not listening yet
        }
      }
    })();
    const pollGrpc = (async () => {
      while (!started) {
        const status = await check(health);
        if (status !== undefined) seen.push(status);
        else await sleep(5);
      }
    })();
    let g: TestGuardyn | undefined;
    try {
      g = await startTestGuardyn(nats.url, {
        roles: [...ROLES],
        env: { GUARDYN_NOTIFICATIONS__PORT: String(httpPort), GUARDYN_AUTH__PORT: String(authPort) },
      });
      started = true;
      await Promise.all([pollHttp, pollGrpc]);
      assert.equal(g.ports.notifications, httpPort);
      assert.deepEqual(
        firstPage,
        { status: 200, type: 'text/html; charset=utf-8' },
        'the first answer on the HTTP port is the web client',
      );
      assert.ok(seen.length > 0, 'the auth port answered health checks while the other roles started');
      assert.equal(seen[0], 'NOT_SERVING', `statuses seen while starting: ${seen.join(', ')}`);
      assert.ok(
        !seen.slice(seen.indexOf('SERVING') >= 0 ? seen.indexOf('SERVING') : seen.length).includes('NOT_SERVING'),
        'never back to NOT_SERVING once serving',
      );
      assert.equal(g.readiness.state, 'serving');
      assert.equal(await check(health), 'SERVING');
      const h = await fetch(`http://127.0.0.1:${httpPort}/health`);
      assert.equal(h.status, 200);
      assert.equal(((await h.json()) as { status: string }).status, 'ok');
      const contract = await g.auth.Health!({});
      assert.equal(contract.status, 'HEALTHY', JSON.stringify(contract));
      // The shutdown: NOT_SERVING from its first step.
      const stopping = g.stop();
      assert.equal(g.readiness.state, 'stopping');
      const during = await check(health);
      assert.ok(during === undefined || during === 'NOT_SERVING', String(during));
      await stopping;
      g = undefined;
    } finally {
      started = true;
      firstPage ??= { status: 0, type: null };
      health.close();
      await g?.stop();
    }
  });

  it('GET /health answers 503 starting until the process serves, then ok, then 503 stopping', async () => {
    const readiness = new Readiness();
    const router = new HttpRouter();
    mountNotificationsApi(router, {
      tokens: { verifyAccessToken: async () => right({ userId: 'u', deviceId: 'd', sessionId: 's', expiresAt: 0 }) },
      sessions: { isActive: async () => true },
      health: async () => ({ nats: 'ok' }),
      readiness,
    } as unknown as NotificationsApiDeps);
    const http = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      router,
      logger: silentLogger,
      name: 'test',
      shutdownGraceMs: 100,
    });
    try {
      const get = async () => {
        const r = await fetch(`http://127.0.0.1:${http.port}/health`);
        return { status: r.status, body: (await r.json()) as Record<string, string> };
      };
      assert.deepEqual(await get(), { status: 503, body: { status: 'starting', nats: 'ok' } });
      readiness.serve();
      assert.deepEqual(await get(), { status: 200, body: { status: 'ok', nats: 'ok' } });
      readiness.stop();
      assert.deepEqual(await get(), { status: 503, body: { status: 'stopping', nats: 'ok' } });
      readiness.serve();
      assert.equal((await get()).body['status'], 'stopping', 'a stopping process does not serve again');
    } finally {
      await http.stop();
    }
  });
});
