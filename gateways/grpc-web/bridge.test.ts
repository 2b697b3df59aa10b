/**
 * The bridge between a real HTTP server and a real grpc-js server whose
 * handlers record what reaches them: metadata and deadlines forwarded, a
 * client that goes away cancelling the upstream call, trailing metadata
 * returned, client streaming refused, and bad bodies never forwarded.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '../../runtime/logger.ts';
import { startGrpcServer, type RunningGrpcServer } from '../grpc/server.ts';
import { mediaService, messagingService } from '../grpc/proto.ts';
import { HttpRouter, startHttpServer, type RunningHttpServer } from '../http/server.ts';
import { mountGrpcWeb, type GrpcWebBridge } from './bridge.ts';
import { openWebCall, webCall } from '../../test/support/grpc-web-client.ts';

const MSG = '/guardyn.messaging.MessagingService';

describe('gRPC-Web bridge', () => {
  let upstream: RunningGrpcServer;
  let http: RunningHttpServer;
  let bridge: GrpcWebBridge;
  let base: string;
  const seen: { metadata: Record<string, unknown>; deadline: grpc.Deadline }[] = [];
  let cancelled = 0;
  let openStreams = 0;

  before(async () => {
    upstream = await startGrpcServer({
      host: '127.0.0.1', port: 0, logger: silentLogger,
      services: [
        {
          definition: messagingService,
          implementation: {
            SendMessage: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
              seen.push({ metadata: call.metadata.getMap(), deadline: call.getDeadline() });
              const trailer = new grpc.Metadata();
              trailer.set('x-seen-content', Buffer.from(call.request.encrypted_content).toString());
              trailer.set('x-blob-bin', Buffer.from([0, 1, 2]));
              callback(null, { success: { message_id: 'm-1' } }, trailer);
            },
            ReceiveMessages: (call: grpc.ServerWritableStream<any, any>) => {
              seen.push({ metadata: call.metadata.getMap(), deadline: call.getDeadline() });
              openStreams++;
              call.write({ message_id: 'first', encrypted_content: Buffer.from('x') });
              call.on('cancelled', () => {
                cancelled++;
                openStreams--;
              });
            },
          },
        },
        { definition: mediaService, implementation: {} },
      ],
    });
    const router = new HttpRouter();
    bridge = mountGrpcWeb(router, {
      targets: [{ definition: messagingService, address: `127.0.0.1:${upstream.port}` }, { definition: mediaService, address: `127.0.0.1:${upstream.port}` }],
      allowedOrigins: [], maxMessageBytes: 1024, clientAddressHeader: 'x-forwarded-for', logger: silentLogger,
    });
    http = await startHttpServer({ host: '127.0.0.1', port: 0, router, logger: silentLogger, name: 'test', shutdownGraceMs: 100 });
    base = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    bridge?.close();
    await http?.stop();
    await upstream?.stop();
  });

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  test('forwards the request bytes, the allowed metadata, the deadline and the browser address; returns trailing metadata', async () => {
    seen.length = 0;
    const r = await webCall(base, `${MSG}/SendMessage`, { encrypted_content: Buffer.from('abc') }, {
      headers: { authorization: 'Bearer t0k3n', 'x-correlation-id': 'corr-1', 'x-forwarded-for': '203.0.113.9', cookie: 'session=secret', 'grpc-timeout': '5S' },
    });
    assert.equal(r.grpcStatus, 0);
    assert.equal(r.messages[0]!.success.message_id, 'm-1');
    assert.equal(r.trailers['x-seen-content'], 'abc');
    assert.equal(r.trailers['x-blob-bin'], Buffer.from([0, 1, 2]).toString('base64'));
    const { metadata, deadline } = seen[0]!;
    assert.equal(metadata['authorization'], 'Bearer t0k3n');
    assert.equal(metadata['x-correlation-id'], 'corr-1');
    assert.equal(metadata['x-forwarded-for'], '203.0.113.9, 127.0.0.1', 'the browser address appended: right-most is the one the bridge saw');
    assert.equal(metadata['cookie'], undefined);
    const left = (deadline instanceof Date ? deadline.getTime() : deadline) - Date.now();
    assert.ok(left > 3000 && left <= 5000, `deadline ${left} ms away`);
  });

  test('a client that goes away cancels the upstream stream', async () => {
    const before = cancelled;
    const abort = new AbortController();
    const call = await openWebCall(base, `${MSG}/ReceiveMessages`, {}, { signal: abort.signal });
    const it = call.messages()[Symbol.asyncIterator]();
    assert.equal((await it.next()).value.message_id, 'first');
    assert.equal(bridge.inFlight, 1);
    abort.abort();
    await until(() => cancelled === before + 1, 'the upstream call to be cancelled');
    await until(() => bridge.inFlight === 0, 'the bridge to forget the call');
    assert.equal(openStreams, 0);
  });

  test('a stream past its grpc-timeout ends with DEADLINE_EXCEEDED after its messages', async () => {
    const r = await webCall(base, `${MSG}/ReceiveMessages`, {}, { headers: { 'grpc-timeout': '200m' } });
    assert.deepEqual(r.messages.map((m) => m.message_id), ['first']);
    assert.equal(r.grpcStatus, grpc.status.DEADLINE_EXCEEDED);
    // The same as base64 text: each frame its own padded piece.
    const text = await openWebCall(base, `${MSG}/ReceiveMessages`, {}, { text: true, headers: { 'grpc-timeout': '200m' } });
    assert.equal(text.res.headers.get('content-type'), 'application/grpc-web-text+proto');
    const t = await text.reply();
    assert.deepEqual(t.messages.map((m) => m.message_id), ['first']);
    assert.equal(t.grpcStatus, grpc.status.DEADLINE_EXCEEDED);
  });

  test('client streaming cannot be carried: UNIMPLEMENTED, nothing forwarded', async () => {
    const r = await fetch(`${base}/guardyn.media.MediaService/UploadMedia`, { method: 'POST', headers: { 'content-type': 'application/grpc-web+proto' }, body: new Uint8Array([0, 0, 0, 0, 0]) });
    assert.equal(r.headers.get('grpc-status'), String(grpc.status.UNIMPLEMENTED));
    assert.match(decodeURIComponent(r.headers.get('grpc-message')!), /streams requests/);
    // A unary method the upstream does not implement: its own UNIMPLEMENTED comes back in the trailers.
    const m = await webCall(base, '/guardyn.media.MediaService/GetMediaMetadata', { media_id: 'x' });
    assert.equal(m.grpcStatus, grpc.status.UNIMPLEMENTED);
  });

  test('bad or oversized bodies are refused before anything is forwarded', async () => {
    seen.length = 0;
    for (const body of [Buffer.from([0, 0, 0, 4, 1, 0]), Buffer.from([0, 0, 0, 0x04, 0x01]), Buffer.from([0x80, 0, 0, 0, 0])]) {
      const r = await webCall(base, `${MSG}/SendMessage`, {}, { rawBody: body });
      assert.ok(r.grpcStatus === grpc.status.INVALID_ARGUMENT || r.grpcStatus === grpc.status.RESOURCE_EXHAUSTED, r.grpcMessage);
    }
    const big = await webCall(base, `${MSG}/SendMessage`, { encrypted_content: Buffer.alloc(2000) });
    assert.equal(big.grpcStatus, grpc.status.RESOURCE_EXHAUSTED);
    const bigText = await webCall(base, `${MSG}/SendMessage`, { encrypted_content: Buffer.alloc(2000) }, { text: true });
    assert.equal(bigText.grpcStatus, grpc.status.RESOURCE_EXHAUSTED);
    const trailers = await webCall(base, `${MSG}/SendMessage`, {}, { rawBody: Buffer.from([0x80, 0, 0, 0, 0]) });
    assert.match(trailers.grpcMessage, /no trailers frame/);
    assert.equal(seen.length, 0, 'nothing reached the gRPC server');
  });
});
