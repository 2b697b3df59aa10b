/**
 * gRPC-Web over real HTTP against a whole Guardyn (auth, messaging, presence,
 * projections, notifications) on a real nats-server: register and log in
 * (binary and base64 text), send, a ReceiveMessages stream delivering live,
 * contract errors and gRPC statuses carried in the trailers, grpc-timeout,
 * CORS preflights, bridge refusals that forward nothing, and the notifications
 * routes and the web client on the same server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { openWebCall, requestBody, webCall } from '../support/grpc-web-client.ts';
import { encodeMessage } from '../../gateways/grpc-web/frames.ts';

const PASSWORD = 'correct horse battery';
const AUTH = '/guardyn.auth.AuthService';
const MSG = '/guardyn.messaging.MessagingService';
const OTHER_ORIGIN = 'http://app.example:3000';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}

describe('gRPC-Web on the HTTP server', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let base: string;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'presence', 'projections', 'notifications'],
      env: { GUARDYN_WEB__ALLOWED_ORIGINS: OTHER_ORIGIN },
    });
    base = `http://127.0.0.1:${g.ports.notifications}`;
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  async function register(text = false): Promise<Account> {
    const username = uniqueName('web');
    const r = await webCall(
      base,
      `${AUTH}/Register`,
      { username, password: PASSWORD, device_name: 'browser', device_type: 'web' },
      { text },
    );
    assert.equal(r.httpStatus, 200);
    assert.equal(r.grpcStatus, 0, r.grpcMessage);
    assert.equal(r.messages.length, 1);
    assert.equal(r.messages[0]!.result, 'success', JSON.stringify(r.messages[0]!.error));
    const s = r.messages[0]!.success;
    return { userId: s.user_id, deviceId: s.device_id, token: s.access_token, username };
  }

  it("registers (binary) and logs in (base64 text), answering in the request's format", async () => {
    const a = await register();
    const text = await openWebCall(
      base,
      `${AUTH}/Login`,
      { username: a.username, password: PASSWORD, device_id: a.deviceId },
      { text: true },
    );
    assert.equal(text.res.headers.get('content-type'), 'application/grpc-web-text+proto');
    const login = await text.reply();
    assert.equal(login.grpcStatus, 0);
    assert.equal(login.messages[0]!.success.user_id, a.userId);
    assert.equal(login.messages[0]!.success.device_id, a.deviceId);
    const b = await register(true);
    assert.notEqual(b.userId, a.userId);
  });

  it('sends a message and a ReceiveMessages stream delivers it live; cancelling the fetch ends the stream', async () => {
    const alice = await register();
    const bob = await register();
    const abort = new AbortController();
    const stream = await openWebCall(
      base,
      `${MSG}/ReceiveMessages`,
      {},
      { headers: { authorization: `Bearer ${bob.token}` }, signal: abort.signal },
    );
    assert.equal(stream.res.status, 200);
    const iterator = stream.messages()[Symbol.asyncIterator]();
    const first = iterator.next();
    const sent = await webCall(
      base,
      `${MSG}/SendMessage`,
      {
        recipient_user_id: bob.userId,
        encrypted_content: Buffer.from('ciphertext 1'),
        message_type: 'TEXT',
        client_message_id: 'c-1',
      },
      { headers: { authorization: `Bearer ${alice.token}` } },
    );
    assert.equal(sent.grpcStatus, 0);
    assert.equal(sent.messages[0]!.result, 'success', JSON.stringify(sent.messages[0]!.error));
    const got = await first;
    assert.equal(got.done, false);
    assert.equal(got.value.message_id, sent.messages[0]!.success.message_id);
    assert.equal(Buffer.from(got.value.encrypted_content).toString(), 'ciphertext 1');
    assert.equal(got.value.sender_user_id, alice.userId);
    // A second one on the same open stream, sent as base64 text.
    const next = iterator.next();
    const sent2 = await webCall(
      base,
      `${MSG}/SendMessage`,
      { recipient_user_id: bob.userId, encrypted_content: Buffer.from('ciphertext 2'), message_type: 'TEXT' },
      { text: true, headers: { authorization: `Bearer ${alice.token}` } },
    );
    assert.equal(sent2.messages[0]!.result, 'success');
    assert.equal(Buffer.from((await next).value.encrypted_content).toString(), 'ciphertext 2');
    abort.abort();
    await assert.rejects(iterator.next());
  });

  it('carries contract errors in the message and transport failures as grpc-status with grpc-message', async () => {
    const a = await register();
    // A contract error: the answer is a message with `error`, status OK.
    const taken = await webCall(base, `${AUTH}/Register`, { username: a.username, password: PASSWORD });
    assert.equal(taken.grpcStatus, 0);
    assert.equal(taken.messages[0]!.error.code, 'CONFLICT');
    // A stream refused for a bad token: UNAUTHENTICATED (16) in the trailers frame, no message.
    const stream = await webCall(
      base,
      `${MSG}/ReceiveMessages`,
      {},
      { headers: { authorization: 'Bearer not.a.token' } },
    );
    assert.equal(stream.httpStatus, 200);
    assert.equal(stream.messages.length, 0);
    assert.equal(stream.grpcStatus, 16);
    assert.match(stream.grpcMessage, /token/i);
    assert.equal(stream.headers.get('grpc-status'), null, 'trailers in the body, not the headers');
  });

  it('honours grpc-timeout: a silent stream ends with DEADLINE_EXCEEDED', async () => {
    const a = await register();
    const started = Date.now();
    const r = await webCall(
      base,
      `${MSG}/ReceiveMessages`,
      {},
      { headers: { authorization: `Bearer ${a.token}`, 'grpc-timeout': '400m' } },
    );
    assert.equal(r.grpcStatus, 4, r.grpcMessage);
    const took = Date.now() - started;
    assert.ok(took >= 350 && took < 5000, `ended after ${took} ms`);
    const bad = await webCall(
      base,
      `${MSG}/ReceiveMessages`,
      {},
      { headers: { authorization: `Bearer ${a.token}`, 'grpc-timeout': 'soon' } },
    );
    assert.equal(bad.grpcStatus, 3);
    assert.match(bad.grpcMessage, /grpc-timeout/);
  });

  it('refuses bad bodies without forwarding: broken frames, two messages, unknown methods, client streaming, wrong content-type', async () => {
    const username = uniqueName('never');
    const register = requestBody(`${AUTH}/Register`, { username, password: PASSWORD }) as Buffer;
    const cases: [Buffer | string, number, RegExp][] = [
      [register.subarray(0, register.length - 1), 3, /ends inside a frame/],
      [Buffer.concat([register, register]), 3, /exactly one message/],
      [Buffer.alloc(0), 3, /no message frame/],
      [Buffer.from([0, 0x7f, 0, 0, 0]), 8, /larger than the limit/],
      [Buffer.from([1, 0, 0, 0, 1, 0]), 3, /compressed/],
    ];
    for (const [body, code, message] of cases) {
      const r = await webCall(base, `${AUTH}/Register`, {}, { rawBody: body });
      assert.equal(r.httpStatus, 200);
      assert.equal(r.grpcStatus, code, `${r.grpcMessage}`);
      assert.match(r.grpcMessage, message);
      assert.equal(r.headers.get('grpc-status'), String(code), 'trailers-only answer');
    }
    const text = await webCall(base, `${AUTH}/Register`, {}, { text: true, rawBody: 'not base64!' });
    assert.equal(text.grpcStatus, 3);
    assert.match(text.grpcMessage, /not base64/);
    // None of them registered anybody.
    const check = await webCall(base, `${AUTH}/Register`, { username, password: PASSWORD });
    assert.equal(check.messages[0]!.result, 'success', 'the username was still free');

    const unknown = await fetch(`${base}${AUTH}/NoSuchMethod`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: new Uint8Array(encodeMessage(Buffer.alloc(0))),
    });
    assert.equal(unknown.headers.get('grpc-status'), '12');
    const upload = await fetch(`${base}/guardyn.media.MediaService/UploadMedia`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: new Uint8Array(encodeMessage(Buffer.alloc(0))),
    });
    assert.equal(upload.status, 404, 'the media role does not run here: its service is not routed');
    const json = await fetch(`${base}${AUTH}/Register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as any).error.details.field, 'content-type');
  });

  it('CORS: preflights for allowed origins, refusals for others, exposed grpc-status', async () => {
    const ok = await fetch(`${base}${AUTH}/Login`, {
      method: 'OPTIONS',
      headers: {
        origin: OTHER_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-grpc-web,authorization',
      },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), OTHER_ORIGIN);
    assert.match(ok.headers.get('access-control-allow-headers')!, /authorization/);
    assert.match(ok.headers.get('access-control-allow-headers')!, /grpc-timeout/);
    const refused = await fetch(`${base}${AUTH}/Login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);

    const username = uniqueName('cors');
    const cross = await openWebCall(
      base,
      `${AUTH}/Register`,
      { username, password: PASSWORD },
      { headers: { origin: OTHER_ORIGIN } },
    );
    assert.equal(cross.res.headers.get('access-control-allow-origin'), OTHER_ORIGIN);
    assert.match(cross.res.headers.get('access-control-expose-headers')!, /grpc-status/);
    assert.equal((await cross.reply()).messages[0]!.result, 'success');
    const evil = await fetch(`${base}${AUTH}/Register`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/grpc-web+proto' },
      body: new Uint8Array(
        requestBody(`${AUTH}/Register`, { username: uniqueName('evil'), password: PASSWORD }) as Buffer,
      ),
    });
    assert.equal(evil.status, 403);
    // The page served by this server is same-origin: allowed without configuration.
    const own = await webCall(base, `${AUTH}/Health`, {}, { headers: { origin: base } });
    assert.equal(own.grpcStatus, 0);
  });

  it('keeps the notifications routes and serves the web client on the same server', async () => {
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    const push = await fetch(`${base}/v1/push-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(push.status, 401);
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="\/web\/app.js">/);
    const config = (await (await fetch(`${base}/web/config.json`)).json()) as any;
    assert.equal(config.websocket.port, g.ports.websocket);
    assert.equal(config.calls, null, 'no calls role in this process: the page offers no calls');
    assert.equal((await fetch(`${base}/web/proto/guardyn/auth.proto`)).status, 200);
    const app = await fetch(`${base}/web/app.js`);
    assert.equal(app.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(app.headers.get('content-security-policy')!, /script-src 'self'/);
    assert.equal((await fetch(`${base}/web/..%2Fpackage.json`)).status, 404);
    assert.equal((await fetch(`${base}/web/../package.json`)).status, 404);
  });
});
