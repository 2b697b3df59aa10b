/**
 * ReceiveMessages over real gRPC against a real nats-server: per-device
 * delivery (every device of a recipient, a targeted device only, the sender's
 * other devices), backlog then live in order and once, reconnecting with
 * after_seq or the stored cursor, include_history, refusals, a revoked session
 * ending the stream, and a stream served by another gateway instance.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn, useGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { connectSignals } from '../../streams/signals.ts';
import { ConnectionTracker } from '../../streams/connections.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
type Msg = Record<string, any>;

const PASSWORD = 'correct horse battery';

async function registerUser(g: TestGuardyn): Promise<Account> {
  const name = uniqueName();
  const r = await g.auth.Register!({
    username: name,
    password: PASSWORD,
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username: name };
}

async function newDevice(g: TestGuardyn, a: Account): Promise<Account> {
  const r = await g.auth.Login!({ username: a.username, password: PASSWORD, device_name: 'phone', device_type: 'ios' });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  assert.notEqual(r.success.device_id, a.deviceId);
  return { ...a, deviceId: r.success.device_id, token: r.success.access_token };
}

async function send(
  g: TestGuardyn,
  from: Account,
  to: Account,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<Msg> {
  const r = await g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from(text), message_type: 'TEXT', ...extra },
    bearer(from.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return r.success;
}

interface Stream {
  readonly messages: Msg[];
  /** Resolves with the gRPC status once the stream has ended. */
  readonly ended: Promise<grpc.StatusObject>;
  /** Waits until at least n messages arrived. */
  waitFor(n: number, ms?: number): Promise<Msg[]>;
  cancel(): Promise<void>;
}

function open(g: TestGuardyn, who: Account | undefined, request: Record<string, unknown> = {}): Stream {
  const raw = g.messaging.raw as unknown as Record<
    string,
    (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<Msg>
  >;
  const call = raw['ReceiveMessages']!.call(g.messaging.raw, request, who ? bearer(who.token) : new grpc.Metadata());
  const messages: Msg[] = [];
  let notify: (() => void) | undefined;
  call.on('data', (m: Msg) => {
    messages.push(m);
    notify?.();
  });
  call.on('error', () => undefined);
  const ended = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
  return {
    messages,
    ended,
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (messages.length < n) {
        if (Date.now() > deadline) assert.fail(`expected ${n} messages, got ${messages.length}`);
        await new Promise<void>((r) => {
          notify = r;
          setTimeout(r, 50);
        });
      }
      return messages;
    },
    async cancel() {
      call.cancel();
      await ended;
    },
  };
}

const texts = (ms: Msg[]) => ms.map((m) => Buffer.from(m.encrypted_content).toString('utf8'));
const seqs = (ms: Msg[]) => ms.map((m) => Number(m.seq));
const settle = (ms = 400) => sleep(ms);

describe('ReceiveMessages', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  useGuardyn((started) => ({ nats, g } = started));

  it('shows the sender SENT, then DELIVERED once a recipient device received it, then READ', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const sent = await send(g, a, b, 'status');
    const statusOf = async (minSeq: string) => {
      const page = await g.messaging.GetMessages!({ conversation_user_id: b.userId, min_seq: minSeq }, bearer(a.token));
      assert.equal(page.result, 'success', JSON.stringify(page.error));
      return page.success.messages[0].delivery_status as string;
    };
    assert.equal(await statusOf(sent.consistency.seq), 'SENT');
    const s = open(g, b);
    await s.waitFor(1);
    await s.cancel();
    let status = '';
    for (const deadline = Date.now() + 5000; Date.now() < deadline && status !== 'DELIVERED'; await settle(100))
      status = await statusOf('0');
    assert.equal(status, 'DELIVERED');
    const read = await g.messaging.MarkAsRead!({ message_ids: [sent.message_id] }, bearer(b.token));
    assert.equal(read.result, 'success', JSON.stringify(read.error));
    assert.equal(await statusOf(read.success.consistency.seq), 'READ');
  });

  it('delivers group messages to every member at the time of the message, and to no one else', async () => {
    const owner = await registerUser(g);
    const member = await registerUser(g);
    const leaver = await registerUser(g);
    const outsider = await registerUser(g);
    const ownerPhone = await newDevice(g, owner);
    const created = await g.messaging.CreateGroup!(
      { group_name: 'crew', member_user_ids: [member.userId, leaver.userId] },
      bearer(owner.token),
    );
    assert.equal(created.result, 'success', JSON.stringify(created.error));
    const groupId = created.success.group_id as string;
    const sendGroup = async (from: Account, text: string) => {
      const r = await g.messaging.SendGroupMessage!(
        { group_id: groupId, encrypted_content: Buffer.from(text), message_type: 'TEXT' },
        bearer(from.token),
      );
      assert.equal(r.result, 'success', JSON.stringify(r.error));
    };
    await sendGroup(owner, 'hello all');
    const left = await g.messaging.LeaveGroup!({ group_id: groupId }, bearer(leaver.token));
    assert.equal(left.result, 'success', JSON.stringify(left.error));
    await sendGroup(owner, 'after the leave');

    const toMember = open(g, member);
    const toLeaver = open(g, leaver);
    const toOutsider = open(g, outsider);
    const toOwnerPhone = open(g, ownerPhone);
    const toOwnerLaptop = open(g, owner);
    try {
      await toMember.waitFor(2);
      await toOwnerPhone.waitFor(2);
      await toLeaver.waitFor(1);
      await settle();
      assert.deepEqual(texts(toMember.messages), ['hello all', 'after the leave']);
      assert.deepEqual(
        texts(toOwnerPhone.messages),
        ['hello all', 'after the leave'],
        "the sender's other device gets its copy",
      );
      assert.deepEqual(texts(toOwnerLaptop.messages), [], 'the sending device does not get its own messages back');
      assert.deepEqual(texts(toLeaver.messages), ['hello all'], 'nothing after leaving');
      assert.equal(toOutsider.messages.length, 0);
      assert.ok(toMember.messages.every((m) => m.conversation_id === groupId));
    } finally {
      for (const s of [toMember, toLeaver, toOutsider, toOwnerPhone, toOwnerLaptop]) await s.cancel();
    }
  });

  it('sends the backlog, then live messages, in stream order, each once', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    for (let i = 0; i < 3; i++) await send(g, a, b, `early ${i}`);
    const s = open(g, b);
    try {
      await s.waitFor(3);
      assert.deepEqual(texts(s.messages), ['early 0', 'early 1', 'early 2']);
      for (let i = 0; i < 3; i++) await send(g, a, b, `live ${i}`);
      await s.waitFor(6);
      await settle();
      assert.deepEqual(texts(s.messages), ['early 0', 'early 1', 'early 2', 'live 0', 'live 1', 'live 2']);
      const q = seqs(s.messages);
      assert.deepEqual(
        q,
        [...q].sort((x, y) => x - y),
      );
      assert.equal(new Set(q).size, q.length);
      for (const m of s.messages) {
        assert.equal(m.sender_user_id, a.userId);
        assert.equal(m.recipient_user_id, b.userId);
        assert.equal(m.delivery_status, 'DELIVERED');
        assert.ok(m.conversation_id);
      }
    } finally {
      await s.cancel();
    }
  });

  it('pages a backlog longer than one page with no gap and no repeat', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const n = 250;
    for (let i = 0; i < n; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => send(g, a, b, `p${i + j}`, { client_message_id: `p${i + j}` })),
      );
    }
    const s = open(g, b);
    try {
      // A backlog read from the production stores on a busy machine can take well over 10 s.
      await s.waitFor(n, 60_000);
      await settle();
      assert.equal(s.messages.length, n);
      const q = seqs(s.messages);
      assert.deepEqual(
        q,
        [...q].sort((x, y) => x - y),
        'stream order',
      );
      assert.equal(new Set(texts(s.messages)).size, n, 'each message once');
    } finally {
      await s.cancel();
    }
  });

  it("reaches every device of the recipient and the sender's other devices, never the sending device or a third user", async () => {
    const a1 = await registerUser(g);
    const a2 = await newDevice(g, a1);
    const b1 = await registerUser(g);
    const b2 = await newDevice(g, b1);
    const c = await registerUser(g);
    const streams = [open(g, a1), open(g, a2), open(g, b1), open(g, b2), open(g, c)] as const;
    const [sa1, sa2, sb1, sb2, sc] = streams;
    try {
      const sent = await send(g, a1, b1, 'to every device');
      await Promise.all([sa2.waitFor(1), sb1.waitFor(1), sb2.waitFor(1)]);
      await settle();
      for (const s of [sa2, sb1, sb2]) {
        assert.deepEqual(texts(s.messages), ['to every device']);
        assert.equal(s.messages[0]!.message_id, sent.message_id);
        assert.equal(s.messages[0]!.sender_device_id, a1.deviceId);
      }
      assert.equal(sa1.messages.length, 0, 'the sending device does not get its own message');
      assert.equal(sc.messages.length, 0, 'a third user gets nothing');
      assert.equal(sb1.messages[0]!.delivery_status, 'DELIVERED');
    } finally {
      for (const s of streams) await s.cancel();
    }
  });

  it('delivers a message with recipient_device_id to that device only', async () => {
    const a1 = await registerUser(g);
    const a2 = await newDevice(g, a1);
    const b1 = await registerUser(g);
    const b2 = await newDevice(g, b1);
    const streams = [open(g, a2), open(g, b1), open(g, b2)] as const;
    const [sa2, sb1, sb2] = streams;
    try {
      await send(g, a1, b1, 'for b2 only', { recipient_device_id: b2.deviceId });
      await send(g, a1, b1, 'for all');
      await sb2.waitFor(2);
      await sb1.waitFor(1);
      await sa2.waitFor(1);
      await settle();
      assert.deepEqual(texts(sb2.messages), ['for b2 only', 'for all']);
      assert.equal(sb2.messages[0]!.recipient_device_id, b2.deviceId);
      assert.deepEqual(texts(sb1.messages), ['for all']);
      assert.deepEqual(
        texts(sa2.messages),
        ['for all'],
        "a targeted message is not synced to the sender's other devices",
      );
    } finally {
      for (const s of streams) await s.cancel();
    }
  });

  it('resumes after after_seq with nothing lost and nothing repeated, and from the stored cursor without it', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    await send(g, a, b, 'm0');
    await send(g, a, b, 'm1');
    const first = open(g, b);
    await first.waitFor(2);
    await first.cancel();
    const last = first.messages[1]!.seq as string;
    for (let i = 2; i < 5; i++) await send(g, a, b, `m${i}`);
    const resumed = open(g, b, { after_seq: last });
    try {
      await resumed.waitFor(3);
      await send(g, a, b, 'm5');
      await resumed.waitFor(4);
      await settle();
      assert.deepEqual(texts(resumed.messages), ['m2', 'm3', 'm4', 'm5']);
      assert.ok(Number(resumed.messages[0]!.seq) > Number(last));
    } finally {
      await resumed.cancel();
    }
    // Without after_seq the device's cursor (saved when the stream ended) is the start. The
    // server saves it once it sees the end; the sender's view of m5 turns DELIVERED when it has.
    // Generous: on the production stores under a full test run the key-value store answers slowly.
    for (const deadline = Date.now() + 60_000; ; await settle(50)) {
      const page = await g.messaging.GetMessages!({ conversation_user_id: b.userId, limit: 1 }, bearer(a.token));
      if (page.success?.messages[0]?.delivery_status === 'DELIVERED') break;
      assert.ok(Date.now() < deadline, 'the delivery cursor was saved');
    }
    await send(g, a, b, 'm6');
    const byCursor = open(g, b);
    try {
      await byCursor.waitFor(1);
      await settle();
      assert.deepEqual(texts(byCursor.messages), ['m6']);
    } finally {
      await byCursor.cancel();
    }
    // include_history sends again what was received before, oldest first.
    const history = open(g, b, { include_history: true });
    try {
      await history.waitFor(7);
      await settle();
      assert.deepEqual(texts(history.messages), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    } finally {
      await history.cancel();
    }
  });

  it('refuses a missing, malformed or tampered token with UNAUTHENTICATED', async () => {
    const a = await registerUser(g);
    const none = await open(g, undefined).ended;
    assert.equal(none.code, grpc.status.UNAUTHENTICATED);
    assert.match(none.details, /missing access token/);
    const bad = await open(g, undefined, { access_token: 'a.b.c' }).ended;
    assert.equal(bad.code, grpc.status.UNAUTHENTICATED);
    const expired = a.token.slice(0, -4) + (a.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const tampered = await open(g, { ...a, token: expired }).ended;
    assert.equal(tampered.code, grpc.status.UNAUTHENTICATED);
    assert.equal(tampered.metadata.get('guardyn-error-code')[0], 'UNAUTHORIZED');
  });

  it('ends the stream of a revoked session with UNAUTHENTICATED within about 2 s', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const s = open(g, b);
    await send(g, a, b, 'before');
    await s.waitFor(1);
    const t0 = Date.now();
    assert.equal((await g.auth.Logout!({ access_token: b.token })).success.sessions_invalidated, 1);
    const status = await Promise.race([s.ended, settle(4000).then(() => undefined)]);
    assert.ok(status, 'the stream ended');
    assert.equal(status.code, grpc.status.UNAUTHENTICATED);
    assert.equal(status.details, 'session ended');
    assert.ok(Date.now() - t0 < 3000, `ended after ${Date.now() - t0} ms`);
  });

  it('streams to a device on another gateway instance', async () => {
    // A messaging-only instance over the same views (as gateways beside one projection process are).
    const second = await startTestGuardyn(nats.url, { roles: ['messaging'], dataDir: g.dataDir });
    try {
      const a = await registerUser(g);
      const b = await registerUser(g);
      const s = open(second, b);
      try {
        await send(g, a, b, 'across');
        await send(second, a, b, 'and back');
        await s.waitFor(2, 20_000);
        await settle();
        assert.deepEqual(texts(s.messages), ['across', 'and back']);
      } finally {
        await s.cancel();
      }
    } finally {
      await second.stop();
    }
  });

  it('announces the streaming device as connected while the stream lasts (presence, pushes)', async () => {
    const signals = await connectSignals(nats.url);
    const tracker = await ConnectionTracker.start(signals);
    try {
      const b = await registerUser(g);
      assert.equal(tracker.isOnline(b.userId), false);
      const s = open(g, b);
      const deadline = Date.now() + 3000;
      while (!tracker.isOnline(b.userId, b.deviceId) && Date.now() < deadline) await settle(20);
      assert.equal(tracker.isOnline(b.userId, b.deviceId), true, 'online while streaming');
      await s.cancel();
      while (tracker.isOnline(b.userId) && Date.now() < deadline + 3000) await settle(20);
      assert.equal(tracker.isOnline(b.userId), false, 'offline once the stream ended');
    } finally {
      tracker.stop();
      await signals.close();
    }
  });
});
