/**
 * Hostile requests over real gRPC and the WebSocket, against a whole Guardyn
 * (all four services) on a real nats-server:
 *
 * - bytes protobuf cannot decode, sent raw through a grpc-js client with
 *   pass-through serializers, to unary, server-streaming and client-streaming
 *   RPCs of every service: never INTERNAL; the answer names the request type
 *   (INVALID_REQUEST in the response where it has an `error` member, else gRPC
 *   INVALID_ARGUMENT); random bytes (fast-check) never get INTERNAL either;
 * - sequence, page and count fields at and beyond the range the code can use
 *   (2^53-1, uint64 max): INVALID_REQUEST naming the field, never INTERNAL_ERROR.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import type { TestNatsServer } from '../support/nats.ts';
import { withNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { openSocket } from '../support/ws-client.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { authService, mediaService, messagingService, presenceService } from '../../gateways/grpc/proto.ts';

type Reply = Record<string, any>;
interface Account {
  userId: string;
  deviceId: string;
  token: string;
}

const TOO_BIG = String(2 ** 53 - 1);
const U64_MAX = '18446744073709551615';
/** Invalid wire type 7 at offset 0: no protobuf message decodes from it. */
const UNDECODABLE = Buffer.from([0x07]);
const pass = (b: Buffer): Buffer => b;

type Service = 'auth' | 'messaging' | 'presence' | 'media';
const DEFINITIONS: Record<Service, grpc.ServiceDefinition> = {
  auth: authService,
  messaging: messagingService,
  presence: presenceService,
  media: mediaService,
};

interface Outcome {
  readonly status: grpc.StatusObject;
  /** The decoded unary response, when there was one. */
  readonly reply?: Reply;
}

describe('hostile requests', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let a: Account;
  let b: Account;
  const clients = new Map<Service, grpc.Client>();

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { roles: ['auth', 'messaging', 'presence', 'media', 'projections'] });
    for (const s of ['auth', 'messaging', 'presence', 'media'] as const) {
      const port = g.ports[s];
      assert.ok(port, `${s} runs`);
      clients.set(s, new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
    }
    a = await register();
    b = await register();
  });
  after(async () => {
    for (const c of clients.values()) c.close();
    await g?.stop();
    await nats?.stop();
  });

  async function register(): Promise<Account> {
    const r = await g.auth.Register!({
      username: uniqueName('hostile'),
      password: 'correct horse battery',
      email: '',
      device_name: 'laptop',
      device_type: 'desktop',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token };
  }

  const method = (s: Service, name: string) => {
    const m = (DEFINITIONS[s] as Record<string, grpc.MethodDefinition<unknown, unknown>>)[name];
    assert.ok(m, `${s}.${name}`);
    return m;
  };

  /** Sends `bytes` as the request (each frame of a client stream) of `s`.`name`, and collects how it ended. */
  function callRaw(
    s: Service,
    name: string,
    frames: readonly Buffer[],
    metadata = new grpc.Metadata(),
  ): Promise<Outcome> {
    const m = method(s, name);
    const client = clients.get(s)!;
    const deserialize = (buf: Buffer) => m.responseDeserialize(buf) as Reply;
    const options = { deadline: Date.now() + 30_000 };
    return new Promise<Outcome>((resolve) => {
      let reply: Reply | undefined;
      const done = (err: grpc.ServiceError | null, r?: Reply) => {
        if (r !== undefined) reply = r;
        void err;
      };
      if (m.requestStream) {
        const call = client.makeClientStreamRequest(m.path, pass, deserialize, metadata, options, done);
        call.on('status', (status) => resolve({ status, ...(reply ? { reply } : {}) }));
        for (const f of frames) call.write(f);
        call.end();
      } else if (m.responseStream) {
        const call = client.makeServerStreamRequest(m.path, pass, deserialize, frames[0]!, metadata, options);
        call.on('data', () => undefined);
        call.on('error', () => undefined);
        call.on('status', (status) => resolve({ status }));
        // A stream that opened fine is not what is being checked: end it once it is clearly open.
        setTimeout(() => call.cancel(), 3000).unref();
      } else {
        const call = client.makeUnaryRequest(m.path, pass, deserialize, frames[0]!, metadata, options, done);
        call.on('status', (status) => setImmediate(() => resolve({ status, ...(reply ? { reply } : {}) })));
      }
    });
  }

  const CASES: ReadonlyArray<{
    service: Service;
    rpc: string;
    type: string;
    shape: 'error-member' | 'status' | 'upload';
    auth?: boolean;
  }> = [
    { service: 'auth', rpc: 'Login', type: 'guardyn.auth.LoginRequest', shape: 'error-member' },
    { service: 'auth', rpc: 'Health', type: 'guardyn.auth.HealthRequest', shape: 'status' },
    { service: 'messaging', rpc: 'GetMessages', type: 'guardyn.messaging.GetMessagesRequest', shape: 'error-member' },
    { service: 'messaging', rpc: 'SendMessage', type: 'guardyn.messaging.SendMessageRequest', shape: 'error-member' },
    { service: 'messaging', rpc: 'ReceiveMessages', type: 'guardyn.messaging.ReceiveMessagesRequest', shape: 'status' },
    { service: 'presence', rpc: 'GetBulkStatus', type: 'guardyn.presence.GetBulkStatusRequest', shape: 'error-member' },
    { service: 'presence', rpc: 'Subscribe', type: 'guardyn.presence.SubscribeRequest', shape: 'status' },
    { service: 'media', rpc: 'GetMediaMetadata', type: 'guardyn.media.GetMediaMetadataRequest', shape: 'error-member' },
    { service: 'media', rpc: 'DownloadMedia', type: 'guardyn.media.DownloadMediaRequest', shape: 'status' },
    { service: 'media', rpc: 'UploadMedia', type: 'guardyn.media.UploadMediaRequest', shape: 'upload', auth: true },
  ];

  it('undecodable bytes: every kind of RPC of every service names the request type, never INTERNAL', async () => {
    for (const c of CASES) {
      const label = `${c.service}.${c.rpc}`;
      const out = await callRaw(c.service, c.rpc, [UNDECODABLE], c.auth ? bearer(a.token) : new grpc.Metadata());
      assert.notEqual(out.status.code, grpc.status.INTERNAL, `${label}: ${out.status.details}`);
      if (c.shape === 'status') {
        assert.equal(out.status.code, grpc.status.INVALID_ARGUMENT, `${label}: ${out.status.details}`);
        assert.match(out.status.details, new RegExp(`could not decode ${c.type.replace(/\./g, '\\.')}: `), label);
        assert.equal(out.status.metadata.get('guardyn-error-code')[0], 'INVALID_REQUEST', label);
      } else {
        assert.equal(out.status.code, grpc.status.OK, `${label}: ${out.status.details}`);
        assert.ok(out.reply, label);
        assert.equal(out.reply.error?.code, 'INVALID_REQUEST', `${label}: ${JSON.stringify(out.reply)}`);
        assert.match(
          out.reply.error.message,
          new RegExp(`^invalid request: could not decode ${c.type.replace(/\./g, '\\.')}: `),
          label,
        );
        assert.equal(out.reply.error.details.request_type, c.type, label);
        if (c.shape === 'upload') assert.equal(out.reply.status, 'UPLOAD_STATUS_FAILED', label);
      }
    }
  });

  it('undecodable chunk after a good header: the upload fails naming the request type and nothing is kept', async () => {
    const m = method('media', 'UploadMedia');
    const header = m.requestSerialize({
      header: { filename: 'a.bin', mime_type: 'application/octet-stream', size_bytes: '4' },
    }) as Buffer;
    const out = await callRaw('media', 'UploadMedia', [header, UNDECODABLE], bearer(a.token));
    assert.equal(out.status.code, grpc.status.OK, out.status.details);
    assert.equal(out.reply?.status, 'UPLOAD_STATUS_FAILED', JSON.stringify(out.reply));
    assert.equal(out.reply?.error?.code, 'INVALID_REQUEST');
    assert.match(out.reply?.error?.message, /could not decode guardyn\.media\.UploadMediaRequest: /);
    const listed = await new Promise<Reply>((resolve, reject) => {
      const client = clients.get('media')! as grpc.Client;
      const lm = method('media', 'ListMedia');
      client.makeUnaryRequest(
        lm.path,
        lm.requestSerialize as (v: Reply) => Buffer,
        lm.responseDeserialize as (b: Buffer) => Reply,
        {},
        bearer(a.token),
        (err, r) => (err ? reject(err) : resolve(r!)),
      );
    });
    assert.deepEqual(
      listed.items.filter((i: Reply) => i.status === 'UPLOAD_STATUS_COMPLETED'),
      [],
      'no upload completed',
    );
  });

  it('random bytes (fast-check), signed in or not, to unary and streaming RPCs of all four services: never INTERNAL, undecodable ones name the request type', async () => {
    const rpcs = CASES.filter((c) => c.shape !== 'upload');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...rpcs),
        fc.uint8Array({ maxLength: 48 }),
        fc.boolean(),
        async (c, bytes, signedIn) => {
          const body = Buffer.from(bytes);
          let decodes = true;
          try {
            method(c.service, c.rpc).requestDeserialize(body);
          } catch {
            decodes = false;
          }
          // Signed in, a request that decodes reaches validation and the handler.
          const out = await callRaw(c.service, c.rpc, [body], signedIn ? bearer(a.token) : new grpc.Metadata());
          const label = `${c.service}.${c.rpc} ${body.toString('hex')}${signedIn ? ' (signed in)' : ''}`;
          assert.ok(
            ![grpc.status.INTERNAL, grpc.status.UNKNOWN].includes(out.status.code),
            `${label}: ${out.status.code} ${out.status.details}`,
          );
          assert.notEqual(out.reply?.error?.code, 'INTERNAL_ERROR', `${label}: ${JSON.stringify(out.reply?.error)}`);
          if (!decodes) {
            const said = out.reply?.error?.message ?? out.status.details;
            assert.ok(said.includes(`could not decode ${c.type}`), `${label}: ${said}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  // -------------------------------------------------------------------------
  // Sequence, page and count fields beyond what the code can use
  // -------------------------------------------------------------------------

  function expectInvalid(r: Reply, field: string): void {
    assert.equal(r.result, 'error', JSON.stringify(r.success));
    assert.equal(r.error.code, 'INVALID_REQUEST', r.error.message);
    assert.equal(r.error.details.field, field, r.error.message);
    assert.ok(r.error.message.includes(field), r.error.message);
  }

  it('ReceiveMessages after_seq of 2^53-1 or uint64 max: INVALID_ARGUMENT naming after_seq; 2^53-2 opens the stream', async () => {
    for (const after of [TOO_BIG, U64_MAX]) {
      const out = await openReceive(a, { after_seq: after });
      assert.equal(out.status.code, grpc.status.INVALID_ARGUMENT, out.status.details);
      assert.match(out.status.details, /after_seq must be a whole number from 0 to 9007199254740990/);
      assert.equal(out.status.metadata.get('guardyn-error-code')[0], 'INVALID_REQUEST');
      assert.equal(out.status.metadata.get('guardyn-error-field')[0], 'after_seq');
    }
    const fine = await openReceive(a, { after_seq: String(2 ** 53 - 2) });
    assert.equal(
      fine.status.code,
      grpc.status.CANCELLED,
      `the stream stayed open until cancelled: ${fine.status.details}`,
    );
  });

  function openReceive(who: Account, request: Reply): Promise<{ status: grpc.StatusObject }> {
    const raw = g.messaging.raw as unknown as Record<
      string,
      (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<Reply>
    >;
    const call = raw['ReceiveMessages']!.call(g.messaging.raw, request, bearer(who.token));
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    const timer = setTimeout(() => call.cancel(), 2000);
    return new Promise((resolve) =>
      call.on('status', (status) => {
        clearTimeout(timer);
        resolve({ status });
      }),
    );
  }

  it('GetMessages, GetConversations, GetGroups, GetGroupById, GetGroupMessages: out-of-range sequences and pages name the field', async () => {
    const sent = await g.messaging.SendMessage!(
      { recipient_user_id: b.userId, encrypted_content: Buffer.from('hi'), message_type: 'TEXT' },
      bearer(a.token),
    );
    assert.equal(sent.result, 'success', JSON.stringify(sent.error));
    const group = await g.messaging.CreateGroup!(
      { group_name: 'g', member_user_ids: [b.userId], mls_group_state: Buffer.from('s') },
      bearer(a.token),
    );
    assert.equal(group.result, 'success', JSON.stringify(group.error));
    const conv = { conversation_user_id: b.userId };
    const groupId = group.success.group_id;
    for (const big of [TOO_BIG, U64_MAX]) {
      expectInvalid(await g.messaging.GetMessages!({ ...conv, min_seq: big }, bearer(a.token)), 'min_seq');
      expectInvalid(await g.messaging.GetConversations!({ min_seq: big }, bearer(a.token)), 'min_seq');
      expectInvalid(await g.messaging.GetGroups!({ min_seq: big }, bearer(a.token)), 'min_seq');
      expectInvalid(await g.messaging.GetGroupById!({ group_id: groupId, min_seq: big }, bearer(a.token)), 'min_seq');
      expectInvalid(
        await g.messaging.GetGroupMessages!({ group_id: groupId, min_seq: big }, bearer(a.token)),
        'min_seq',
      );
    }
    expectInvalid(
      await g.messaging.GetMessages!({ ...conv, pagination: { page: 4294967295, page_size: 100 } }, bearer(a.token)),
      'pagination.page',
    );
    expectInvalid(
      await g.messaging.GetGroupMessages!(
        { group_id: groupId, pagination: { page: 10_001, page_size: 1 } },
        bearer(a.token),
      ),
      'pagination.page',
    );
    expectInvalid(await g.messaging.GetMessages!({ ...conv, limit: -1 }, bearer(a.token)), 'limit');
    expectInvalid(await g.auth.SearchUsers!({ query: 'hostile', limit: 4294967295 }, bearer(a.token)), 'limit');
    // Cursors carry positions too: a forged one at the top of the range is refused or served, never a fault.
    for (const position of [TOO_BIG, '9007199254740992', '0']) {
      const forged = Buffer.from(`v1:${position}`).toString('base64url');
      const r = await g.messaging.GetMessages!({ ...conv, cursor: forged }, bearer(a.token));
      assert.notEqual(r.error?.code, 'INTERNAL_ERROR', JSON.stringify(r.error));
      const groups = await g.messaging.GetGroups!(
        { cursor: Buffer.from(`g1:${position}:${groupId}`).toString('base64url') },
        bearer(a.token),
      );
      assert.notEqual(groups.error?.code, 'INTERNAL_ERROR', JSON.stringify(groups.error));
    }
  });

  it('any integer (fast-check) in the numeric fields of GetMessages and GetConversations: a page or INVALID_REQUEST naming the field, never INTERNAL_ERROR', async () => {
    const anyInteger = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
      fc.bigInt({ min: 2n ** 53n - 4n, max: 2n ** 53n + 4n }).map(String),
    );
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    await fc.assert(
      fc.asyncProperty(
        anyInteger,
        int32,
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        async (minSeq, limit, page, pageSize) => {
          const r = await g.messaging.GetMessages!(
            { conversation_user_id: b.userId, min_seq: minSeq, limit, pagination: { page, page_size: pageSize } },
            bearer(a.token),
          );
          if (r.result === 'error') {
            assert.equal(r.error.code, 'INVALID_REQUEST', JSON.stringify(r.error));
            assert.ok(
              ['min_seq', 'limit', 'pagination.page', 'pagination.page_size'].includes(r.error.details.field),
              JSON.stringify(r.error),
            );
          }
          const c = await g.messaging.GetConversations!({ min_seq: minSeq, limit: page }, bearer(a.token));
          if (c.result === 'error') {
            assert.equal(c.error.code, 'INVALID_REQUEST', JSON.stringify(c.error));
            assert.ok(['min_seq', 'limit'].includes(c.error.details.field), JSON.stringify(c.error));
          }
        },
      ),
      // A min_seq the views have not reached waits for them (bounded): keep the accepted ones rare.
      {
        numRuns: 40,
        examples: [
          [TOO_BIG, 0, 0, 0],
          [U64_MAX, 0, 0, 0],
        ],
      },
    );
  });

  it('WebSocket resume last_seq of 2^53-1: an error frame naming payload.last_seq, and the socket keeps working', async () => {
    const s = await openSocket(`ws://127.0.0.1:${g.ports.websocket}/ws`);
    try {
      s.send('auth', { token: a.token });
      assert.equal((await s.next('auth_response')).payload['success'], true);
      s.send('resume', { last_seq: 2 ** 53 - 1 }, { request_id: 'r1' });
      const err = await s.next('error');
      assert.equal(err.payload['code'], 'INVALID_FRAME', JSON.stringify(err.payload));
      assert.equal(err.payload['context']?.field, 'payload.last_seq', JSON.stringify(err.payload));
      assert.match(err.payload['message'], /last_seq must be a whole number from 0 to 9007199254740990/);
      assert.equal(s.all('error').filter((f) => f.payload['code'] === 'INTERNAL_ERROR').length, 0);
      s.send('ping', { timestamp: 1 });
      await s.next('pong');
      s.send('resume', { last_seq: 0 });
      s.send('ping', { timestamp: 2 });
      await s.next('pong', (f) => f.payload['timestamp'] === 2);
      assert.equal(s.all('error').length, 1, JSON.stringify(s.all('error')));
    } finally {
      await s.close();
    }
  });
});
