/**
 * A handler that throws, or returns a rejected promise, ends its own call with
 * INTERNAL and an incident id in the log; the server (this process) keeps serving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { messagingService } from './proto.ts';
import { startGrpcServer, unary, type RunningGrpcServer } from './server.ts';
import { serviceClient, type ServiceClient } from './client.ts';

const logLines: Array<Record<string, unknown>> = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);

describe('gRPC per-call fault boundary', () => {
  let running: RunningGrpcServer;
  let client: ServiceClient;

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
            // A raw handler that throws before answering (a bug outside unary()).
            SendMessage: () => {
              throw new Error('bug in a handler');
            },
            // A raw handler whose promise rejects.
            MarkAsRead: async () => {
              await Promise.resolve();
              throw new Error('late bug');
            },
            // A stream handler that throws at once.
            ReceiveMessages: () => {
              throw new TypeError('stream bug');
            },
            GetConversations: unary('messaging.GetConversations', logger, async () => ({ conversations: [] })),
          },
        },
      ],
    });
    client = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${running.port}`);
  });
  after(async () => {
    client?.close();
    await running?.stop();
  });

  const incidentOf = (err: grpc.ServiceError): string => {
    assert.equal(err.code, grpc.status.INTERNAL);
    assert.equal(err.metadata.get('guardyn-error-code')[0], 'INTERNAL_ERROR');
    const incident = err.metadata.get('guardyn-error-incident')[0] as string;
    assert.match(err.details, new RegExp(`incident ${incident}`));
    assert.ok(
      logLines.some((l) => l['incident'] === incident && l['level'] === 50),
      'the incident is in the log',
    );
    return incident;
  };

  test('a synchronous throw ends that call only', async () => {
    const err = await client.SendMessage!({}).then(
      () => assert.fail('answered'),
      (e: grpc.ServiceError) => e,
    );
    incidentOf(err);
    assert.equal((await client.GetConversations!({}))['error'] ?? undefined, undefined, 'the server still answers');
  });

  test('a rejected promise ends that call only', async () => {
    const err = await client.MarkAsRead!({}).then(
      () => assert.fail('answered'),
      (e: grpc.ServiceError) => e,
    );
    incidentOf(err);
    assert.equal((await client.GetConversations!({}))['error'] ?? undefined, undefined, 'the server still answers');
  });

  test('a stream handler that throws ends that stream with INTERNAL', async () => {
    const stream = (
      client.raw as unknown as { ReceiveMessages(req: object): grpc.ClientReadableStream<unknown> }
    ).ReceiveMessages({});
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      stream.on('error', resolve);
      stream.on('data', () => undefined);
    });
    const a = incidentOf(err);
    const again = await client.SendMessage!({}).then(
      () => assert.fail('answered'),
      (e: grpc.ServiceError) => e,
    );
    assert.notEqual(incidentOf(again), a, 'one incident id per fault');
  });
});
