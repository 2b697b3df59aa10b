import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { pino } from 'pino';
import { rpcLatency } from '../../runtime/metrics.ts';
import { domainError } from '../../commands/handler/decider.ts';
import { LogUnavailable } from '../../streams/errors.ts';
import { fromDomain } from '../shared/errors.ts';
import { messagingService, packageDefinition, SERVICE_NAMES } from './proto.ts';
import { correlationIdOf, serviceNameOf, startGrpcServer, unary, type RunningGrpcServer } from './server.ts';
import { reflect } from '../../test/support/reflection-client.ts';

const logLines: Array<Record<string, unknown>> = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);

type Callback = (err: grpc.ServiceError | null, value?: Record<string, unknown>) => void;
type UnaryClient = grpc.Client & Record<string, (req: object, md: grpc.Metadata, cb: Callback) => grpc.ClientUnaryCall>;

function clientFor<C extends grpc.Client>(pkg: protoLoader.PackageDefinition, service: string, port: number): C {
  let node: unknown = grpc.loadPackageDefinition(pkg);
  for (const part of service.split('.')) node = (node as Record<string, unknown>)[part];
  const Ctor = node as grpc.ServiceClientConstructor;
  return new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as C;
}

function call(
  client: UnaryClient,
  method: string,
  request: object,
  metadata = new grpc.Metadata(),
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const fn = client[method];
    assert.ok(fn, method);
    fn.call(client, request, metadata, (err, value) => (err ? reject(err) : resolve(value ?? {})));
  });
}

async function latencyCount(method: string, code: string): Promise<number> {
  const metric = await rpcLatency.get();
  const sample = metric.values.find(
    (v) => v.metricName === 'guardyn_rpc_seconds_count' && v.labels['method'] === method && v.labels['code'] === code,
  );
  return sample?.value ?? 0;
}

describe('gRPC server', () => {
  let running: RunningGrpcServer;
  let messaging: UnaryClient;

  before(async () => {
    running = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      shutdownGraceMs: 300,
      services: [
        {
          definition: messagingService,
          implementation: {
            Health: unary('messaging.Health', logger, async () => ({
              status: 'HEALTHY',
              version: 'test',
              timestamp: { seconds: 1, nanos: 0 },
              components: { jetstream: 'ok' },
            })),
            SendMessage: unary('messaging.SendMessage', logger, async () => {
              throw new TypeError('a bug with secret request data');
            }),
            GetConversations: unary('messaging.GetConversations', logger, async () => {
              throw new LogUnavailable('nats: timeout');
            }),
            MarkAsRead: unary(
              'messaging.MarkAsRead',
              logger,
              async (c: grpc.ServerUnaryCall<{ message_ids: string[] }, unknown>) =>
                c.request.message_ids.length === 0
                  ? {
                      error: fromDomain(domainError('INVALID_REQUEST', 'message_ids must not be empty', 'message_ids')),
                    }
                  : {
                      success: {
                        messages_marked: c.request.message_ids.length,
                        marked_count: c.request.message_ids.length,
                        timestamp: null,
                      },
                    },
            ),
            DeleteMessage: unary('messaging.DeleteMessage', logger, async (c, ctx) => {
              assert.equal(correlationIdOf(c), ctx.correlationId, 'one id per call');
              return { success: { deleted: true, message_id: ctx.correlationId, timestamp: null } };
            }),
            ReceiveMessages: () => {
              /* a stream that never ends, to test stop() */
            },
          },
        },
      ],
    });
    messaging = clientFor<UnaryClient>(packageDefinition, SERVICE_NAMES.messaging, running.port);
  });

  after(async () => {
    messaging.close();
    await running.stop();
  });

  test('binds an ephemeral port when asked for 0', () => {
    assert.ok(running.port > 0);
  });

  test('serves a handler response as given', async () => {
    const health = await call(messaging, 'Health', {});
    assert.equal(health['status'], 'HEALTHY');
    assert.deepEqual(health['components'], { jetstream: 'ok' });
    const marked = await call(messaging, 'MarkAsRead', { access_token: 't', message_ids: ['a', 'b'] });
    assert.equal(marked['result'], 'success');
    assert.equal((marked['success'] as Record<string, unknown>)['messages_marked'], 2);
    const refused = await call(messaging, 'MarkAsRead', { access_token: 't', message_ids: [] });
    assert.deepEqual(refused['error'], {
      code: 'INVALID_REQUEST',
      message: 'message_ids must not be empty',
      details: { field: 'message_ids' },
    });
  });

  test('a handler that throws answers INTERNAL_ERROR, logs the error, and the server keeps serving', async () => {
    const before = await latencyCount('messaging.SendMessage', 'INTERNAL_ERROR');
    const reply = await call(messaging, 'SendMessage', { access_token: 't', encrypted_content: Buffer.from('x') });
    assert.equal(reply['result'], 'error');
    const error = reply['error'] as { code: string; message: string; details: Record<string, string> };
    assert.equal(error.code, 'INTERNAL_ERROR');
    assert.ok(!error.message.includes('secret'), 'the real error stays in the log');
    const logged = logLines.find((l) => l['incident'] === error.details['incident']);
    assert.equal((logged?.['err'] as { message?: string } | undefined)?.message, 'a bug with secret request data');
    assert.equal(logged?.['method'], 'messaging.SendMessage');
    assert.equal(await latencyCount('messaging.SendMessage', 'INTERNAL_ERROR'), before + 1);
    assert.equal((await call(messaging, 'Health', {}))['status'], 'HEALTHY');
  });

  test('an unavailable event log answers SERVICE_UNAVAILABLE with a retry hint', async () => {
    const reply = await call(messaging, 'GetConversations', { access_token: 't' });
    const error = reply['error'] as { code: string; message: string };
    assert.equal(error.code, 'SERVICE_UNAVAILABLE');
    assert.match(error.message, /try again/);
  });

  test('latency is recorded with the outcome code, OK for successes', async () => {
    const before = await latencyCount('messaging.MarkAsRead', 'OK');
    const beforeInvalid = await latencyCount('messaging.MarkAsRead', 'INVALID_REQUEST');
    await call(messaging, 'MarkAsRead', { message_ids: ['a'] });
    await call(messaging, 'MarkAsRead', { message_ids: [] });
    assert.equal(await latencyCount('messaging.MarkAsRead', 'OK'), before + 1);
    assert.equal(await latencyCount('messaging.MarkAsRead', 'INVALID_REQUEST'), beforeInvalid + 1);
  });

  test('the correlation id comes from metadata when sane, else is generated', async () => {
    const md = new grpc.Metadata();
    md.set('x-correlation-id', 'req-42');
    const given = await call(messaging, 'DeleteMessage', {}, md);
    assert.equal((given['success'] as Record<string, unknown>)['message_id'], 'req-42');
    const bad = new grpc.Metadata();
    bad.set('x-correlation-id', 'has spaces and {json}');
    const generated = await call(messaging, 'DeleteMessage', {}, bad);
    assert.match(String((generated['success'] as Record<string, unknown>)['message_id']), /^[0-9a-f-]{36}$/);
  });

  test('requests above the receive limit are refused with RESOURCE_EXHAUSTED', async () => {
    await assert.rejects(
      call(messaging, 'SendMessage', { encrypted_content: Buffer.alloc(3 * 1024 * 1024) }),
      (err: grpc.ServiceError) => err.code === grpc.status.RESOURCE_EXHAUSTED,
    );
  });

  test('methods without an implementation answer UNIMPLEMENTED', async () => {
    await assert.rejects(
      call(messaging, 'ClearChat', {}),
      (err: grpc.ServiceError) => err.code === grpc.status.UNIMPLEMENTED,
    );
  });

  test('grpc.health.v1 answers SERVING for the server and each added service', async () => {
    const healthPkg = protoLoader.loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true });
    const health = clientFor<UnaryClient>(healthPkg, 'grpc.health.v1.Health', running.port);
    try {
      assert.equal((await call(health, 'Check', { service: '' }))['status'], 'SERVING');
      assert.equal((await call(health, 'Check', { service: SERVICE_NAMES.messaging }))['status'], 'SERVING');
      await assert.rejects(
        call(health, 'Check', { service: SERVICE_NAMES.auth }),
        (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND,
      );
    } finally {
      health.close();
    }
  });

  test("server reflection lists the port's service, health and reflection, and describes their files", async () => {
    const [listed, described] = await reflect(`127.0.0.1:${running.port}`, [
      { list_services: '*' },
      { file_containing_symbol: 'guardyn.messaging.SendMessageRequest' },
    ]);
    assert.deepEqual(
      listed?.services?.sort(),
      [
        'grpc.health.v1.Health',
        'grpc.reflection.v1.ServerReflection',
        'grpc.reflection.v1alpha.ServerReflection',
        SERVICE_NAMES.messaging,
      ].sort(),
    );
    assert.deepEqual(
      described?.files?.map((f) => f.name),
      ['guardyn/messaging.proto', 'guardyn/common.proto'],
    );
  });
});

describe('gRPC server lifecycle', () => {
  test('serviceNameOf reads the fully qualified name', () => {
    assert.equal(serviceNameOf(messagingService), 'guardyn.messaging.MessagingService');
  });

  test('a taken port is reported as an error naming the address', async () => {
    const first = await startGrpcServer({ host: '127.0.0.1', port: 0, services: [], logger });
    try {
      await assert.rejects(
        startGrpcServer({ host: '127.0.0.1', port: first.port, services: [], logger }),
        (err: Error) => err.message.includes(`127.0.0.1:${first.port}`),
      );
    } finally {
      await first.stop();
    }
  });

  test('stop() marks NOT_SERVING, cuts a never-ending stream after the grace time, and is idempotent', async () => {
    const server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      shutdownGraceMs: 200,
      services: [
        {
          definition: messagingService,
          implementation: {
            ReceiveMessages: () => {
              /* never ends */
            },
          },
        },
      ],
    });
    const client = clientFor<grpc.Client & { ReceiveMessages(req: object): grpc.ClientReadableStream<unknown> }>(
      packageDefinition,
      SERVICE_NAMES.messaging,
      server.port,
    );
    const stream = client.ReceiveMessages({ access_token: 't' });
    const ended = new Promise<grpc.ServiceError | undefined>((resolve) => {
      stream.on('error', (e: grpc.ServiceError) => resolve(e));
      stream.on('end', () => resolve(undefined));
    });
    await sleep(100); // the stream is open on the server
    const started = Date.now();
    await Promise.all([server.stop(), server.stop()]);
    const took = Date.now() - started;
    assert.ok(took >= 150 && took < 3000, `stop took ${took} ms`);
    const err = await ended;
    assert.ok(err !== undefined, 'the client sees its stream cut');
    client.close();
  });
});
