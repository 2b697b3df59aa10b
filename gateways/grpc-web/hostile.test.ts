/**
 * The gRPC-Web bridge against hostile input (property-based, fast-check), on a
 * real HTTP server dispatching to in-process handlers: service and method names
 * that name prototype members, random bytes as bodies (binary and text),
 * random messages in a well-formed frame, headers named after prototype
 * members. Every call gets a gRPC status, handlers see only well-formed calls
 * of methods they serve, and the bridge keeps serving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { silentLogger } from '../../runtime/logger.ts';
import { servedService } from '../grpc/server.ts';
import { messagingService } from '../grpc/proto.ts';
import { HttpRouter, startHttpServer, type RunningHttpServer } from '../http/server.ts';
import { encodeMessage } from './frames.ts';
import { mountGrpcWeb, type GrpcWebBridge } from './bridge.ts';
import { webCall } from '../../test/support/grpc-web-client.ts';
import { hostileKey, NETWORK_RUNS, PROTOTYPE_KEYS, randomBytes } from '../../test/support/hostile.ts';

const SERVICE = 'guardyn.messaging.MessagingService';
const GRPC_CODES = new Set(Object.values(grpc.status).filter((v): v is number => typeof v === 'number'));

describe('gRPC-Web bridge against hostile input', () => {
  let http: RunningHttpServer;
  let bridge: GrpcWebBridge;
  let base: string;
  let reached = 0;

  before(async () => {
    const service = servedService({
      definition: messagingService,
      implementation: {
        SendMessage: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
          reached++;
          callback(null, { success: { message_id: 'm-1' } });
        },
      },
    });
    const router = new HttpRouter();
    router.on('GET', '/ok', (_req, res) => void res.writeHead(200).end('ok'));
    bridge = mountGrpcWeb(router, {
      services: [service],
      allowedOrigins: [],
      maxMessageBytes: 4096,
      logger: silentLogger,
    });
    http = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      router,
      logger: silentLogger,
      name: 'test',
      shutdownGraceMs: 100,
    });
    base = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    bridge?.close();
    await http?.stop();
  });

  const stillServing = async () => {
    const r = await webCall(base, `/${SERVICE}/SendMessage`, { encrypted_content: Buffer.from('x') });
    assert.equal(r.grpcStatus, grpc.status.OK);
    assert.equal(r.messages[0]?.success.message_id, 'm-1');
  };

  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  test('a method named after a prototype member is UNIMPLEMENTED and never forwarded', async () => {
    const before = reached;
    for (const key of PROTOTYPE_KEYS) {
      const r = await post(`/${SERVICE}/${key}`, encodeMessage(Buffer.alloc(0)));
      assert.equal(r.status, 200, key);
      assert.equal(r.headers.get('grpc-status'), String(grpc.status.UNIMPLEMENTED), key);
      await r.arrayBuffer();
      // A service named after one is no route at all.
      const s = await post(`/${key}/SendMessage`, encodeMessage(Buffer.alloc(0)));
      assert.equal(s.status, 404, key);
      await s.arrayBuffer();
    }
    assert.equal(reached, before);
    await stillServing();
  });

  test('random bytes as a body (binary or text) get a gRPC status; the bridge keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomBytes,
        fc.boolean(),
        fc.constantFrom('SendMessage', ...PROTOTYPE_KEYS),
        async (bytes, text, method) => {
          const r = await post(`/${SERVICE}/${method}`, text ? bytes.toString('latin1') : bytes, {
            'content-type': text ? 'application/grpc-web-text' : 'application/grpc-web+proto',
          });
          assert.equal(r.status, 200);
          const body = Buffer.from(await r.arrayBuffer());
          const status = r.headers.get('grpc-status');
          // Trailers-only from the bridge, or the handler's answer (message and trailers frames).
          if (status !== null) assert.ok(GRPC_CODES.has(Number(status)), status);
          else assert.ok(body.length >= 5, 'a trailers frame');
        },
      ),
      NETWORK_RUNS,
    );
    await stillServing();
  });

  test('random messages in a well-formed frame, with headers named after prototype members, get a gRPC status', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomBytes,
        fc.dictionary(
          fc.constantFrom(...PROTOTYPE_KEYS.filter((k) => k !== '__proto__')),
          fc.stringMatching(/^[a-z0-9]{0,12}$/),
          { maxKeys: 4 },
        ),
        async (message, headers) => {
          const r = await webCall(
            base,
            `/${SERVICE}/SendMessage`,
            {},
            { rawBody: encodeMessage(message), headers: { ...headers } },
          );
          assert.equal(r.httpStatus, 200);
          assert.ok(r.grpcStatus !== undefined && GRPC_CODES.has(r.grpcStatus), `status ${r.grpcStatus}`);
        },
      ),
      NETWORK_RUNS,
    );
    await stillServing();
  });

  test('hostile grpc-timeout values are refused or honoured, never a fault', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileKey, fc.stringMatching(/^\d{1,10}[HMSmun]?$/)), async (timeout) => {
        const r = await webCall(
          base,
          `/${SERVICE}/SendMessage`,
          { encrypted_content: Buffer.from('x') },
          { headers: { 'grpc-timeout': timeout.replace(/[^\x20-\x7e]/g, '') } },
        );
        assert.equal(r.httpStatus, 200);
        assert.ok(r.grpcStatus !== undefined && GRPC_CODES.has(r.grpcStatus), `status ${r.grpcStatus}`);
      }),
      NETWORK_RUNS,
    );
    await stillServing();
  });
});
