/**
 * In-process dispatch answers as grpc-js does: the same handlers served by a
 * real grpc-js server (called with a grpc-js client) and run through
 * `dispatch`, for every way a handler can end a call (response with trailers,
 * error with metadata, a plain Error, a throw, stream end with trailers,
 * stream error), a method without a handler, and bytes that do not decode.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '../../runtime/logger.ts';
import { startGrpcServer, type RunningGrpcServer, type ServiceBinding } from '../grpc/server.ts';
import { messagingService } from '../grpc/proto.ts';
import { dispatch, methodRegistry } from './dispatch.ts';

const MSG = '/guardyn.messaging.MessagingService';
const md = (entries: Record<string, string>): grpc.Metadata => {
  const m = new grpc.Metadata();
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  return m;
};

const service: ServiceBinding = {
  definition: messagingService,
  implementation: {
    SendMessage: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
      switch (call.request.client_message_id) {
        case 'ok':
          return callback(null, { success: { message_id: 'm-1' } }, md({ 'x-t': 'one' }));
        case 'status':
          return callback({ code: grpc.status.NOT_FOUND, details: 'nope', metadata: md({ 'x-e': 'two' }) });
        case 'plain':
          return callback(new Error('plain failure'));
        default:
          throw new Error('boom');
      }
    },
    ReceiveMessages: (call: grpc.ServerWritableStream<any, any>) => {
      call.write({ message_id: 'a' });
      if (call.request.after_seq === '1') {
        call.write({ message_id: 'b' });
        call.end(md({ 'x-end': 'three' }));
      } else if (call.request.after_seq === '2') {
        call.emit('error', {
          code: grpc.status.PERMISSION_DENIED,
          details: 'not yours',
          metadata: md({ 'guardyn-error-code': 'FORBIDDEN' }),
        });
      } else {
        call.emit('error', new Error('broken'));
      }
    },
  },
};

interface Outcome {
  code: number;
  details: string;
  trailers: Record<string, unknown>;
  messages: unknown[];
}
const own = (m: grpc.Metadata | undefined) =>
  Object.fromEntries(Object.entries(m?.getMap() ?? {}).filter(([k]) => k.startsWith('x-') || k.startsWith('guardyn-')));

describe('in-process dispatch answers as grpc-js does', () => {
  let server: RunningGrpcServer;
  let client: grpc.Client;
  let methods: ReturnType<typeof methodRegistry>;

  before(async () => {
    server = await startGrpcServer({ host: '127.0.0.1', port: 0, logger: silentLogger, services: [service] });
    // What the bridge gets in production: the services as that server serves them.
    methods = methodRegistry(server.services);
    client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  const native = (path: string, bytes: Buffer): Promise<Outcome> =>
    new Promise((resolve) => {
      const def = methods.get(path)!.definition;
      const messages: unknown[] = [];
      const pass = (b: Buffer) => b;
      const call = def.responseStream
        ? client.makeServerStreamRequest(path, pass, def.responseDeserialize, bytes, new grpc.Metadata(), {})
        : client.makeUnaryRequest(path, pass, def.responseDeserialize, bytes, new grpc.Metadata(), {}, (err, value) => {
            if (err === null) messages.push(value);
          });
      call.on('data', (m: unknown) => messages.push(m));
      call.on('error', () => undefined);
      call.on('status', (s: grpc.StatusObject) =>
        setImmediate(() =>
          resolve({ code: s.code, details: s.code === 0 ? '' : s.details, trailers: own(s.metadata), messages }),
        ),
      );
    });

  const inProcess = (path: string, bytes: Buffer): Promise<Outcome> =>
    new Promise((resolve) => {
      const method = methods.get(path) ?? {
        path,
        name: path.split('/')[2]!,
        definition: methods.get(`${MSG}/SendMessage`)!.definition,
        handler: undefined,
      };
      const messages: unknown[] = [];
      dispatch(method, bytes, {
        metadata: new grpc.Metadata(),
        peer: '127.0.0.1:1',
        host: 'localhost',
        timeoutMs: undefined,
        send: (m) => {
          messages.push(method.definition.responseDeserialize(m));
          return true;
        },
        onDrain: () => undefined,
        finish: (s) =>
          resolve({ code: s.code, details: s.code === 0 ? '' : s.details, trailers: own(s.metadata), messages }),
      });
    });

  const request = (path: string, value: Record<string, unknown>) =>
    (Object.values(messagingService) as grpc.MethodDefinition<unknown, unknown>[])
      .find((m) => m.path === path)!
      .requestSerialize(value);

  const cases: [string, string, Buffer][] = [
    [
      'a response with trailing metadata',
      `${MSG}/SendMessage`,
      request(`${MSG}/SendMessage`, { client_message_id: 'ok' }),
    ],
    [
      'an error status with metadata',
      `${MSG}/SendMessage`,
      request(`${MSG}/SendMessage`, { client_message_id: 'status' }),
    ],
    ['a plain Error', `${MSG}/SendMessage`, request(`${MSG}/SendMessage`, { client_message_id: 'plain' })],
    ['a handler that throws', `${MSG}/SendMessage`, request(`${MSG}/SendMessage`, { client_message_id: 'throw' })],
    ['bytes that do not decode (a varint cut short)', `${MSG}/SendMessage`, Buffer.from([0x08, 0xff])],
    ['a stream ended with trailers', `${MSG}/ReceiveMessages`, request(`${MSG}/ReceiveMessages`, { after_seq: '1' })],
    [
      'a stream ended by an error status with metadata',
      `${MSG}/ReceiveMessages`,
      request(`${MSG}/ReceiveMessages`, { after_seq: '2' }),
    ],
    [
      'a stream ended by a plain Error',
      `${MSG}/ReceiveMessages`,
      request(`${MSG}/ReceiveMessages`, { after_seq: '3' }),
    ],
    ['stream request bytes that do not decode', `${MSG}/ReceiveMessages`, Buffer.from([0x17])],
    ['a method without a handler', `${MSG}/GetMessages`, request(`${MSG}/GetMessages`, {})],
  ];
  for (const [name, path, bytes] of cases) {
    test(name, async () => {
      const expected = await native(path, bytes);
      assert.deepEqual(withoutIncidentIds(await inProcess(path, bytes)), withoutIncidentIds(expected));
    });
  }
});

/** Each fault gets an incident id of its own (gateways/grpc/guard.ts): the answers are compared without them. */
function withoutIncidentIds<T>(answer: T): T {
  return JSON.parse(
    JSON.stringify(answer).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<incident>'),
  ) as T;
}
