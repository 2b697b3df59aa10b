/**
 * The bridge on a real HTTP server, dispatching in-process to handlers that
 * record what reaches them: metadata, deadline and the browser's address as
 * the peer, a client that goes away cancelling the call, trailing metadata
 * returned, back-pressure on streams, client streaming refused, and bad
 * bodies never reaching a handler.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '../../runtime/logger.ts';
import http from 'node:http';
import net from 'node:net';
import { servedService, type ServiceBinding } from '../grpc/server.ts';
import { mediaService, messagingService } from '../grpc/proto.ts';
import { HttpRouter, startHttpServer, type RunningHttpServer } from '../http/server.ts';
import { mountGrpcWeb, type GrpcWebBridge } from './bridge.ts';
import { openWebCall, requestBody, webCall } from '../../test/support/grpc-web-client.ts';

const MSG = '/guardyn.messaging.MessagingService';

describe('gRPC-Web bridge', () => {
  let server: RunningHttpServer;
  let bridge: GrpcWebBridge;
  let base: string;
  const seen: { metadata: Record<string, unknown>; deadline: grpc.Deadline; peer: string }[] = [];
  let cancelled = 0;
  let openStreams = 0;

  before(async () => {
    const services = (
      [
        {
          definition: messagingService,
          implementation: {
            SendMessage: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
              seen.push({ metadata: call.metadata.getMap(), deadline: call.getDeadline(), peer: call.getPeer() });
              const trailer = new grpc.Metadata();
              trailer.set('x-seen-content', Buffer.from(call.request.encrypted_content).toString());
              trailer.set('x-blob-bin', Buffer.from([0, 1, 2]));
              callback(null, { success: { message_id: 'm-1' } }, trailer);
            },
            ReceiveMessages: (call: grpc.ServerWritableStream<any, any>) => {
              seen.push({ metadata: call.metadata.getMap(), deadline: call.getDeadline(), peer: call.getPeer() });
              openStreams++;
              call.write({ message_id: 'first', encrypted_content: Buffer.from('x') });
              // after_seq 1: as many large messages as the call takes, waiting for 'drain' when write says so.
              if (call.request.after_seq === '1')
                void (async () => {
                  for (let i = 0; i < 10_000 && !call.cancelled; i++) {
                    written++;
                    if (!call.write({ message_id: `m-${i}`, encrypted_content: Buffer.alloc(64 * 1024) })) {
                      waitedForDrain++;
                      await new Promise((r) => {
                        call.once('drain', r);
                        call.once('cancelled', r);
                      });
                    }
                  }
                })();
              call.on('cancelled', () => {
                cancelled++;
                openStreams--;
              });
            },
          },
        },
        { definition: mediaService, implementation: {} },
      ] as ServiceBinding[]
    ).map((s) => servedService(s));
    const router = new HttpRouter();
    bridge = mountGrpcWeb(router, {
      services,
      allowedOrigins: [],
      maxMessageBytes: 1024,
      clientAddressHeader: 'x-forwarded-for',
      logger: silentLogger,
    });
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      router,
      logger: silentLogger,
      name: 'test',
      shutdownGraceMs: 100,
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    bridge?.close();
    await server?.stop();
  });
  let written = 0;
  let waitedForDrain = 0;

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await sleep(10);
    }
  }

  test('forwards the request bytes, the allowed metadata, the deadline and the browser address; returns trailing metadata', async () => {
    seen.length = 0;
    const r = await webCall(
      base,
      `${MSG}/SendMessage`,
      { encrypted_content: Buffer.from('abc') },
      {
        headers: {
          authorization: 'Bearer t0k3n',
          'x-correlation-id': 'corr-1',
          'x-forwarded-for': '203.0.113.9',
          cookie: 'session=secret',
          'grpc-timeout': '5S',
        },
      },
    );
    assert.equal(r.grpcStatus, 0);
    assert.equal(r.messages[0]!.success.message_id, 'm-1');
    assert.equal(r.trailers['x-seen-content'], 'abc');
    assert.equal(r.trailers['x-blob-bin'], Buffer.from([0, 1, 2]).toString('base64'));
    const { metadata, deadline } = seen[0]!;
    assert.equal(metadata['authorization'], 'Bearer t0k3n');
    assert.equal(metadata['x-correlation-id'], 'corr-1');
    assert.equal(
      metadata['x-forwarded-for'],
      '203.0.113.9, 127.0.0.1',
      'the browser address appended: right-most is the one the bridge saw',
    );
    assert.equal(metadata['cookie'], undefined);
    const left = (deadline instanceof Date ? deadline.getTime() : deadline) - Date.now();
    assert.ok(left > 3000 && left <= 5000, `deadline ${left} ms away`);
  });

  test("the handler's peer is the browser's own address and port (what per-address limits count), not a loopback hop", async () => {
    seen.length = 0;
    const localPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const body = requestBody(`${MSG}/SendMessage`, { encrypted_content: Buffer.from('p') }) as Buffer;
    const status = await new Promise<string | undefined>((resolve, reject) => {
      const req = http.request(
        `${base}${MSG}/SendMessage`,
        {
          method: 'POST',
          localPort,
          agent: false,
          headers: { 'content-type': 'application/grpc-web+proto', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers['grpc-status'] as string | undefined));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(status, undefined, 'answered in the body, not refused');
    assert.equal(seen[0]!.peer, `127.0.0.1:${localPort}`);
  });

  test('a fast stream to a slow reader waits for drain (back-pressure) instead of buffering every message', async () => {
    written = 0;
    waitedForDrain = 0;
    const abort = new AbortController();
    const call = await openWebCall(base, `${MSG}/ReceiveMessages`, { after_seq: '1' }, { signal: abort.signal });
    const it = call.messages()[Symbol.asyncIterator]();
    assert.equal((await it.next()).value.message_id, 'first');
    await until(() => waitedForDrain > 0, 'the handler to be told to wait');
    // Nobody reads: the handler stays waiting, far below the 10 000 messages it would write.
    await sleep(300);
    assert.ok(written < 1000, `${written} messages written to a reader that reads nothing`);
    abort.abort();
    await until(() => bridge.inFlight === 0, 'the call to end');
  });

  test('a client that goes away cancels the stream: the handler sees cancelled', async () => {
    const before = cancelled;
    const abort = new AbortController();
    const call = await openWebCall(base, `${MSG}/ReceiveMessages`, {}, { signal: abort.signal });
    const it = call.messages()[Symbol.asyncIterator]();
    assert.equal((await it.next()).value.message_id, 'first');
    assert.equal(bridge.inFlight, 1);
    abort.abort();
    await until(() => cancelled === before + 1, 'the call to be cancelled');
    await until(() => bridge.inFlight === 0, 'the bridge to forget the call');
    assert.equal(openStreams, 0);
  });

  test('a stream past its grpc-timeout ends with DEADLINE_EXCEEDED after its messages', async () => {
    const r = await webCall(base, `${MSG}/ReceiveMessages`, {}, { headers: { 'grpc-timeout': '200m' } });
    assert.deepEqual(
      r.messages.map((m) => m.message_id),
      ['first'],
    );
    assert.equal(r.grpcStatus, grpc.status.DEADLINE_EXCEEDED);
    // The same as base64 text: each frame its own padded piece.
    const text = await openWebCall(
      base,
      `${MSG}/ReceiveMessages`,
      {},
      { text: true, headers: { 'grpc-timeout': '200m' } },
    );
    assert.equal(text.res.headers.get('content-type'), 'application/grpc-web-text+proto');
    const t = await text.reply();
    assert.deepEqual(
      t.messages.map((m) => m.message_id),
      ['first'],
    );
    assert.equal(t.grpcStatus, grpc.status.DEADLINE_EXCEEDED);
  });

  test('a grpc-timeout beyond what a timer holds (99999999H) is a far deadline, not an immediate one', async () => {
    const abort = new AbortController();
    const call = await openWebCall(
      base,
      `${MSG}/ReceiveMessages`,
      {},
      { signal: abort.signal, headers: { 'grpc-timeout': '99999999H' } },
    );
    const it = call.messages()[Symbol.asyncIterator]();
    assert.equal((await it.next()).value.message_id, 'first');
    await sleep(200);
    assert.equal(bridge.inFlight, 1, 'the stream is still open');
    abort.abort();
    await until(() => bridge.inFlight === 0, 'the call to end');
  });

  test('client streaming cannot be carried: UNIMPLEMENTED, no handler runs', async () => {
    const r = await fetch(`${base}/guardyn.media.MediaService/UploadMedia`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: new Uint8Array([0, 0, 0, 0, 0]),
    });
    assert.equal(r.headers.get('grpc-status'), String(grpc.status.UNIMPLEMENTED));
    assert.match(decodeURIComponent(r.headers.get('grpc-message')!), /streams requests/);
    // A unary method the service does not implement: grpc-js's own UNIMPLEMENTED, in the trailers.
    const m = await webCall(base, '/guardyn.media.MediaService/GetMediaMetadata', { media_id: 'x' });
    assert.equal(m.grpcStatus, grpc.status.UNIMPLEMENTED);
    assert.equal(m.grpcMessage, 'The server does not implement the method GetMediaMetadata');
  });

  test('bad or oversized bodies are refused before any handler runs', async () => {
    seen.length = 0;
    for (const body of [
      Buffer.from([0, 0, 0, 4, 1, 0]),
      Buffer.from([0, 0, 0, 0x04, 0x01]),
      Buffer.from([0x80, 0, 0, 0, 0]),
    ]) {
      const r = await webCall(base, `${MSG}/SendMessage`, {}, { rawBody: body });
      assert.ok(
        r.grpcStatus === grpc.status.INVALID_ARGUMENT || r.grpcStatus === grpc.status.RESOURCE_EXHAUSTED,
        r.grpcMessage,
      );
    }
    const big = await webCall(base, `${MSG}/SendMessage`, { encrypted_content: Buffer.alloc(2000) });
    assert.equal(big.grpcStatus, grpc.status.RESOURCE_EXHAUSTED);
    const bigText = await webCall(
      base,
      `${MSG}/SendMessage`,
      { encrypted_content: Buffer.alloc(2000) },
      { text: true },
    );
    assert.equal(bigText.grpcStatus, grpc.status.RESOURCE_EXHAUSTED);
    const trailers = await webCall(base, `${MSG}/SendMessage`, {}, { rawBody: Buffer.from([0x80, 0, 0, 0, 0]) });
    assert.match(trailers.grpcMessage, /no trailers frame/);
    assert.equal(seen.length, 0, 'nothing reached a handler');
  });
});
