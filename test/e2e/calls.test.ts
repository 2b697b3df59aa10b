/**
 * Calls end to end over real gRPC and the call WebSocket against a real
 * nats-server: a call rings on every device of the callee, one device answers
 * and the other is told "answered elsewhere", signals reach only the devices
 * in the call, hang-up ends it on both sides, both histories show it; a call
 * nobody answers is missed after the (short, configured) ring timeout; a
 * stranger is refused; calls are rate-limited per caller; bad input is a clear
 * error and changes nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer, serviceClient, type ServiceClient } from '../../gateways/grpc/client.ts';
import { openSocket, type TestSocket } from '../support/ws-client.ts';
import { callService } from '../../gateways/grpc/proto.ts';

const PASSWORD = 'correct horse battery';
const RING_TIMEOUT_MS = 6000;
const STARTS_PER_CALLER = 10;

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
type Msg = Record<string, any>;

async function registerUser(g: TestGuardyn): Promise<Account> {
  const name = uniqueName('call');
  const r = await g.auth.Register!({
    username: name,
    password: PASSWORD,
    email: '',
    device_name: 'phone',
    device_type: 'mobile',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username: name };
}

async function secondDevice(g: TestGuardyn, a: Account): Promise<Account> {
  const r = await g.auth.Login!({
    username: a.username,
    password: PASSWORD,
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  assert.notEqual(r.success.device_id, a.deviceId);
  return { ...a, deviceId: r.success.device_id, token: r.success.access_token };
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function converse(g: TestGuardyn, from: Account, to: Account): Promise<void> {
  const r = await g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from('hi'), message_type: 'TEXT' },
    bearer(from.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  await eventually(
    async () =>
      (await g.messaging.GetConversations!({ min_seq: r.success.consistency.seq }, bearer(from.token))).success
        .conversations.length > 0,
    'conversation in the view',
  );
}

function errorOf(r: Msg, code: string, field?: string): void {
  assert.equal(r.result, 'error', JSON.stringify(r));
  assert.equal(r.error.code, code, JSON.stringify(r.error));
  if (field !== undefined) assert.equal(r.error.details.field, field, JSON.stringify(r.error));
}

describe('calls end to end', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let calls: ServiceClient;
  let alice: Account, bobPhone: Account, bobLaptop: Account, carol: Account;
  const sockets: TestSocket[] = [];

  async function socketOf(a: Account): Promise<TestSocket> {
    const s = await openSocket(`ws://127.0.0.1:${g.ports.callsWebsocket}/ws`);
    sockets.push(s);
    s.send('auth', { token: a.token });
    const r = await s.next('auth_response');
    assert.equal(r.payload.success, true, JSON.stringify(r.payload));
    return s;
  }
  const start = (from: Account, to: Account, extra: Record<string, unknown> = {}) =>
    calls.StartCall!(
      { callee_user_id: to.userId, media: 'VIDEO', offer: Buffer.from('encrypted offer'), ...extra },
      bearer(from.token),
    );
  const history = async (a: Account, minSeq: number | string) => {
    const r = await calls.GetCallHistory!({ min_seq: minSeq }, bearer(a.token));
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return r.success.calls as Msg[];
  };

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'projections', 'calls'],
      // The fuzz test sends frames back to back: no per-socket frame limit in the way (its refusals carry no request_id).
      env: {
        GUARDYN_CALLS__RING_TIMEOUT_MS: String(RING_TIMEOUT_MS),
        GUARDYN_CALLS__STARTS_PER_CALLER: String(STARTS_PER_CALLER),
        GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET: '100000',
      },
    });
    calls = serviceClient('guardyn.call.CallService', `127.0.0.1:${g.ports.calls}`);
    [alice, bobPhone, carol] = [await registerUser(g), await registerUser(g), await registerUser(g)];
    bobLaptop = await secondDevice(g, bobPhone);
    await converse(g, alice, bobPhone);
  });
  after(async () => {
    for (const s of sockets) await s.close().catch(() => undefined);
    calls?.close();
    await g?.stop();
    await nats?.stop();
  });

  it('rings every callee device; one answer wins, the other device hears "answered elsewhere"; hang-up ends it on both sides; both histories show it', async () => {
    const [a, phone, laptop] = [await socketOf(alice), await socketOf(bobPhone), await socketOf(bobLaptop)];
    const started = await start(alice, bobPhone);
    assert.equal(started.result, 'success', JSON.stringify(started.error));
    const callId = started.success.call_id as string;
    assert.equal(started.success.ring_timeout_ms, RING_TIMEOUT_MS);

    for (const s of [phone, laptop]) {
      const ring = await s.next('call_ringing', (f) => f.payload.call_id === callId);
      assert.equal(
        Buffer.from(ring.payload.payload, 'base64').toString(),
        'encrypted offer',
        'the offer reaches the callee untouched',
      );
      assert.equal(ring.payload.caller_id, alice.userId);
      assert.equal(ring.payload.media, 'video');
    }
    const callerRing = await a.next('call_ringing', (f) => f.payload.call_id === callId);
    assert.equal(callerRing.payload.payload, undefined, 'the caller is told it rings, without an offer');

    const answered = await calls.AnswerCall!(
      { call_id: callId, answer: Buffer.from('encrypted answer') },
      bearer(bobLaptop.token),
    );
    assert.equal(answered.result, 'success', JSON.stringify(answered.error));
    const toCaller = await a.next('call_answered', (f) => f.payload.call_id === callId);
    assert.equal(Buffer.from(toCaller.payload.payload, 'base64').toString(), 'encrypted answer');
    assert.equal(toCaller.payload.device_id, bobLaptop.deviceId);
    const elsewhere = await phone.next('call_answered_elsewhere', (f) => f.payload.call_id === callId);
    assert.equal(elsewhere.payload.device_id, bobLaptop.deviceId);
    errorOf(
      await calls.AnswerCall!({ call_id: callId, answer: Buffer.from('late') }, bearer(bobPhone.token)),
      'CONFLICT',
      'call_id',
    );

    // Signals: from the caller to the answering device only; the other device and strangers are not in the call.
    const sig = await calls.SendSignal!({ call_id: callId, payload: Buffer.from('candidate') }, bearer(alice.token));
    assert.equal(sig.result, 'success', JSON.stringify(sig.error));
    const got = await laptop.next('call_signal', (f) => f.payload.call_id === callId);
    assert.equal(Buffer.from(got.payload.payload, 'base64').toString(), 'candidate');
    const back = await calls.SendSignal!(
      { call_id: callId, payload: Buffer.from('candidate back') },
      bearer(bobLaptop.token),
    );
    assert.equal(back.result, 'success');
    await a.next('call_signal', (f) => f.payload.call_id === callId && f.payload.device_id === bobLaptop.deviceId);
    errorOf(
      await calls.SendSignal!({ call_id: callId, payload: Buffer.from('x') }, bearer(bobPhone.token)),
      'NOT_FOUND',
      'call_id',
    );
    errorOf(
      await calls.SendSignal!({ call_id: callId, payload: Buffer.from('x') }, bearer(carol.token)),
      'NOT_FOUND',
      'call_id',
    );
    errorOf(
      await calls.SendSignal!({ call_id: callId, payload: Buffer.alloc(16 * 1024 + 1) }, bearer(alice.token)),
      'INVALID_REQUEST',
      'payload',
    );
    errorOf(
      await calls.SendSignal!({ call_id: callId, payload: Buffer.alloc(0) }, bearer(alice.token)),
      'INVALID_REQUEST',
      'payload',
    );
    assert.equal(phone.all('call_signal').length, 0, 'the device that did not answer hears no signal');

    const hung = await calls.HangUp!({ call_id: callId }, bearer(alice.token));
    assert.equal(hung.result, 'success', JSON.stringify(hung.error));
    assert.equal(hung.success.reason, 'HUNG_UP');
    for (const s of [a, laptop]) {
      const end = await s.next('call_ended', (f) => f.payload.call_id === callId);
      assert.equal(end.payload.reason, 'hung_up');
    }
    // An answer or a signal after the hang-up: a clear error, nothing changes.
    errorOf(
      await calls.AnswerCall!({ call_id: callId, answer: Buffer.from('after') }, bearer(bobLaptop.token)),
      'CONFLICT',
      'call_id',
    );
    errorOf(
      await calls.SendSignal!({ call_id: callId, payload: Buffer.from('x') }, bearer(alice.token)),
      'NOT_FOUND',
      'call_id',
    );

    const seq = hung.success.consistency.seq;
    const [mine] = await history(alice, seq);
    assert.equal(mine!.call_id, callId);
    assert.equal(mine!.direction, 'OUTGOING');
    assert.equal(mine!.state, 'ENDED');
    assert.equal(mine!.end_reason, 'HUNG_UP');
    assert.equal(mine!.peer_user_id, bobPhone.userId);
    const [theirs] = await history(bobPhone, seq);
    assert.equal(theirs!.call_id, callId);
    assert.equal(theirs!.direction, 'INCOMING');
    assert.equal(theirs!.answered_device_id, bobLaptop.deviceId);
    assert.equal(theirs!.media, 'VIDEO');
  });

  it('a call nobody answers is missed after the ring timeout, on both sides and in both histories', async () => {
    const [a, phone] = [await socketOf(alice), await socketOf(bobPhone)];
    const started = await start(alice, bobPhone, { media: 'AUDIO' });
    assert.equal(started.result, 'success', JSON.stringify(started.error));
    const callId = started.success.call_id as string;
    await phone.next('call_ringing', (f) => f.payload.call_id === callId);
    // A device that connects while the call rings is told at once (without the offer: it asks the caller's device).
    assert.ok(
      (await history(bobPhone, started.success.consistency.seq)).some(
        (c) => c.call_id === callId && c.state === 'RINGING',
      ),
    );
    const late = await socketOf(bobLaptop);
    const lateRing = await late.next('call_ringing', (f) => f.payload.call_id === callId);
    assert.equal(lateRing.payload.payload, undefined);
    const missed = await a.next('call_missed', (f) => f.payload.call_id === callId, RING_TIMEOUT_MS + 20_000);
    assert.equal(missed.payload.reason, 'missed');
    await phone.next('call_missed', (f) => f.payload.call_id === callId);
    errorOf(
      await calls.AnswerCall!({ call_id: callId, answer: Buffer.from('too late') }, bearer(bobPhone.token)),
      'CONFLICT',
      'call_id',
    );
    await eventually(
      async () => (await history(bobPhone, 0)).some((c) => c.call_id === callId && c.end_reason === 'MISSED'),
      'the miss in the callee history',
    );
    assert.ok((await history(alice, 0)).some((c) => c.call_id === callId && c.end_reason === 'MISSED'));
  });

  it('refuses a stranger (FORBIDDEN), a call to oneself and malformed requests, recording nothing', async () => {
    errorOf(await start(carol, bobPhone), 'FORBIDDEN', 'callee_user_id');
    errorOf(await start(alice, alice), 'INVALID_REQUEST', 'callee_user_id');
    errorOf(await start(alice, bobPhone, { media: 'CALL_MEDIA_UNSPECIFIED' }), 'INVALID_REQUEST', 'media');
    errorOf(await start(alice, bobPhone, { offer: Buffer.alloc(0) }), 'INVALID_REQUEST', 'offer');
    errorOf(await start(alice, bobPhone, { offer: Buffer.alloc(64 * 1024 + 1) }), 'INVALID_REQUEST', 'offer');
    errorOf(
      await calls.StartCall!(
        { callee_user_id: 'not-a-uuid', media: 'AUDIO', offer: Buffer.from('o') },
        bearer(alice.token),
      ),
      'INVALID_REQUEST',
      'callee_user_id',
    );
    errorOf(
      await calls.AnswerCall!(
        { call_id: '00000000-0000-4000-8000-000000000000', answer: Buffer.from('a') },
        bearer(bobPhone.token),
      ),
      'NOT_FOUND',
      'call_id',
    );
    errorOf(
      await calls.StartCall!({ callee_user_id: bobPhone.userId, media: 'AUDIO', offer: Buffer.from('o') }),
      'UNAUTHORIZED',
    );
    assert.deepEqual(await history(carol, 0), [], 'the stranger has no call recorded');
    // Bytes protobuf cannot decode: INVALID_REQUEST, like every service.
    const reply = await new Promise<Buffer>((resolve, reject) =>
      calls.raw.makeUnaryRequest(
        '/guardyn.call.CallService/StartCall',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0x0a, 0xff, 0xff, 0xff]),
        bearer(alice.token),
        (err, bytes) => (err ? reject(err) : resolve(bytes as Buffer)),
      ),
    );
    errorOf(callService['StartCall']!.responseDeserialize(reply) as Msg, 'INVALID_REQUEST');
  });

  it('random frames on the call socket get error frames, never a crash or a call', async () => {
    const s = await socketOf(alice);
    const types = [
      'start_call',
      'answer_call',
      'reject_call',
      'hang_up',
      'signal',
      'call_history',
      'nope',
      'constructor',
      '__proto__',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...types),
        fc.dictionary(
          fc.constantFrom('call_id', 'callee_id', 'media', 'offer', 'answer', 'payload', 'reason', 'limit', 'cursor'),
          fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.base64String({ maxLength: 40 })),
        ),
        async (type, payload) => {
          const id = `p${Math.random().toString(36).slice(2)}`;
          s.send(type, payload, { request_id: id });
          const answered = () =>
            s.frames.find((f) => f.payload.context?.request_id === id || f.payload.request_id === id);
          await eventually(async () => answered() !== undefined, `an answer to ${type}`);
          assert.ok(['error', 'call_history'].includes(answered()!.type), JSON.stringify(answered()));
        },
      ),
      { numRuns: 60 },
    );
    assert.equal(s.ws.readyState, s.ws.OPEN, 'the socket is still open');
    assert.equal(s.all('call_started').length, 0, 'no call was started');
  });

  it('the call WebSocket answers bad frames with error frames naming the field, and serves TURN credentials', async () => {
    const s = await socketOf(alice);
    s.send('signal', { call_id: '00000000-0000-4000-8000-000000000000', payload: 'not base64!' }, { request_id: 'r1' });
    const bad = await s.next('error', (f) => f.payload.context?.request_id === 'r1');
    assert.equal(bad.payload.code, 'INVALID_FRAME');
    assert.equal(bad.payload.context.field, 'payload.payload');
    s.send(
      'start_call',
      { callee_id: alice.userId, media: 'audio', offer: Buffer.from('o').toString('base64') },
      { request_id: 'r2' },
    );
    const self = await s.next('error', (f) => f.payload.context?.request_id === 'r2');
    assert.equal(self.payload.code, 'INVALID_REQUEST');
    s.send('turn_credentials', {}, { request_id: 'r3' });
    const turn = await s.next('turn_credentials');
    assert.match(turn.payload.username, new RegExp(`^\\d+:${alice.userId}$`));
    assert.ok(turn.payload.uris.length > 0);
    const unauth = await openSocket(`ws://127.0.0.1:${g.ports.callsWebsocket}/ws`);
    sockets.push(unauth);
    unauth.send('hang_up', { call_id: '00000000-0000-4000-8000-000000000000' });
    assert.equal((await unauth.next('error')).payload.code, 'UNAUTHORIZED');
  });

  it("ReceiveCallEvents streams the device's call events once its headers arrive", async () => {
    const raw = calls.raw as unknown as Record<
      string,
      (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<Msg>
    >;
    const stream = raw['ReceiveCallEvents']!.call(calls.raw, {}, bearer(bobPhone.token));
    const events: Msg[] = [];
    stream.on('data', (m: Msg) => events.push(m));
    stream.on('error', () => undefined);
    await new Promise<void>((resolve) => stream.once('metadata', () => resolve()));
    const started = await start(alice, bobPhone);
    assert.equal(started.result, 'success', JSON.stringify(started.error));
    await eventually(
      async () => events.some((e) => e.kind === 'CALL_RINGING' && e.call_id === started.success.call_id),
      'CALL_RINGING on the gRPC stream',
    );
    const ring = events.find((e) => e.kind === 'CALL_RINGING')!;
    assert.equal(Buffer.from(ring.payload).toString(), 'encrypted offer');
    const rejected = await calls.RejectCall!(
      { call_id: started.success.call_id, reason: 'BUSY' },
      bearer(bobPhone.token),
    );
    assert.equal(rejected.result, 'success', JSON.stringify(rejected.error));
    assert.equal(rejected.success.reason, 'REJECTED_BUSY');
    await eventually(
      async () => events.some((e) => e.kind === 'CALL_REJECTED' && e.end_reason === 'REJECTED_BUSY'),
      'CALL_REJECTED on the gRPC stream',
    );
    stream.cancel();
  });

  it('rate-limits the calls a caller starts', async () => {
    const dave = await registerUser(g);
    await converse(g, dave, bobPhone);
    for (let i = 0; i < STARTS_PER_CALLER; i++) {
      const r = await start(dave, bobPhone);
      assert.equal(r.result, 'success', JSON.stringify(r.error));
      assert.equal((await calls.HangUp!({ call_id: r.success.call_id }, bearer(dave.token))).result, 'success');
    }
    const limited = await start(dave, bobPhone);
    errorOf(limited, 'RATE_LIMITED');
    assert.ok(Number(limited.error.details.retry_after_ms) > 0);
  });
});
