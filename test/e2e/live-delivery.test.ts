/**
 * Live delivery from the commit, end to end against a real nats-server:
 * - with no projections running at all (the process serves auth and messaging
 *   only, no view is ever written), connected devices still get new 1:1 and
 *   group messages, on WebSocket and gRPC, in stream order: delivery does not
 *   wait for any view;
 * - group fan-out follows membership: a removed member gets no new message;
 * - exactly once and in order across a reconnect with resume while messages
 *   keep coming (the live/backlog boundary), with the views running;
 * - a message deleted for everyone before a device connects reaches it as a
 *   tombstone, also from the gateway's memory of recent commits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, useGuardyn, type TestGuardyn } from '../support/guardyn.ts';
import { openSocket, type Frame, type TestSocket } from '../support/ws-client.ts';
import { bearer } from '../../gateways/grpc/client.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
}

async function registerUser(g: TestGuardyn): Promise<Account> {
  const r = await g.auth.Register!({
    username: uniqueName('live'),
    password: 'correct horse battery',
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token };
}

async function send(g: TestGuardyn, from: Account, to: Account, text: string): Promise<number> {
  const r = await g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from(text), message_type: 'TEXT' },
    bearer(from.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return Number(r.success.consistency.seq);
}

async function connected(g: TestGuardyn, who: Account, resume?: number): Promise<TestSocket> {
  const s = await openSocket(`ws://127.0.0.1:${g.ports.websocket}/ws`);
  s.send('auth', { token: who.token, ...(resume !== undefined ? { last_seq: resume } : {}) });
  const ok = await s.next('auth_response');
  assert.equal(ok.payload['success'], true, JSON.stringify(ok.payload));
  return s;
}

const text = (f: Frame) => Buffer.from(f.payload['content'] as string, 'base64').toString('utf8');

/** Waits until `socket` holds `n` message frames (failing after `ms`). */
async function messagesOf(socket: TestSocket, n: number, ms = 15_000): Promise<Frame[]> {
  const deadline = Date.now() + ms;
  while (socket.all('message').length < n) {
    if (Date.now() > deadline) assert.fail(`expected ${n} messages, got ${socket.all('message').length}`);
    await sleep(20);
  }
  return socket.all('message');
}

type Msg = Record<string, any>;
function receive(g: TestGuardyn, who: Account): { messages: Msg[]; cancel(): void } {
  const raw = g.messaging.raw as unknown as Record<
    string,
    (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<Msg>
  >;
  const call = raw['ReceiveMessages']!.call(g.messaging.raw, {}, bearer(who.token));
  const messages: Msg[] = [];
  call.on('data', (m: Msg) => messages.push(m));
  call.on('error', () => undefined);
  return { messages, cancel: () => call.cancel() };
}

describe('live delivery with no projection running', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  before(async () => {
    nats = await withNatsServer();
    // No 'projections' role: no view is written, so anything delivered came from the commit.
    g = await startTestGuardyn(nats.url, { roles: ['auth', 'messaging'] });
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  it('hands new 1:1 messages to connected devices (WebSocket and gRPC) in stream order', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const socket = await connected(g, b);
    const stream = receive(g, b);
    try {
      // The gRPC stream registers asynchronously: one message first, then a burst.
      const first = await send(g, a, b, 'm0');
      await messagesOf(socket, 1);
      const deadline = Date.now() + 15_000;
      while (stream.messages.length < 1 && Date.now() < deadline) await sleep(20);
      const seqs = [first, ...(await Promise.all([1, 2, 3, 4].map((i) => send(g, a, b, `m${i}`))))].sort(
        (x, y) => x - y,
      );
      const frames = await messagesOf(socket, 5);
      assert.deepEqual(
        frames.map((f) => f.payload['seq']),
        seqs,
        'every message once, in stream order',
      );
      assert.deepEqual(new Set(frames.map(text)), new Set(['m0', 'm1', 'm2', 'm3', 'm4']));
      assert.equal(frames[0]!.payload['delivery_status'], 'DELIVERED');
      while (stream.messages.length < 5 && Date.now() < deadline) await sleep(20);
      assert.deepEqual(
        stream.messages.map((m) => Number(m['seq'])),
        seqs,
        'the gRPC stream too',
      );
    } finally {
      stream.cancel();
      await socket.close();
    }
  });

  it('fans a group message out to every connected member, and no longer to a removed one', async () => {
    const [owner, b, c] = [await registerUser(g), await registerUser(g), await registerUser(g)];
    const created = await g.messaging.CreateGroup!(
      { group_name: 'live', member_user_ids: [b.userId, c.userId], mls_group_state: Buffer.from('mls-0') },
      bearer(owner.token),
    );
    assert.equal(created.result, 'success', JSON.stringify(created.error));
    const groupId = created.success.group_id as string;
    const [sb, sc] = [await connected(g, b), await connected(g, c)];
    try {
      const sent = await g.messaging.SendGroupMessage!(
        { group_id: groupId, encrypted_content: Buffer.from('to all'), message_type: 'TEXT' },
        bearer(owner.token),
      );
      assert.equal(sent.result, 'success', JSON.stringify(sent.error));
      for (const s of [sb, sc]) {
        const [m] = await messagesOf(s, 1);
        assert.equal(text(m!), 'to all');
        assert.equal(m!.payload['conversation_id'], groupId);
      }
      const removed = await g.messaging.RemoveGroupMember!(
        { group_id: groupId, member_user_id: c.userId, mls_group_state: Buffer.from('mls-rm') },
        bearer(owner.token),
      );
      assert.equal(removed.result, 'success', JSON.stringify(removed.error));
      const after = await g.messaging.SendGroupMessage!(
        { group_id: groupId, encrypted_content: Buffer.from('members only'), message_type: 'TEXT' },
        bearer(owner.token),
      );
      assert.equal(after.result, 'success', JSON.stringify(after.error));
      const frames = await messagesOf(sb, 2);
      assert.equal(text(frames[1]!), 'members only');
      // Anything meant for c would have come with b's copy (the same commit, the same hand-out).
      await sleep(300);
      assert.deepEqual(sc.all('message').map(text), ['to all'], 'a removed member gets no new group message');
    } finally {
      await sb.close();
      await sc.close();
    }
  });
});

describe('live and backlog hand over by stream sequence', () => {
  let g: TestGuardyn;
  useGuardyn((s) => ({ g } = s));

  it('delivers each message once, in order, across a reconnect with resume while messages keep coming', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const N = 60;
    const first = await connected(g, b);
    const sending = (async () => {
      const seqs: number[] = [];
      for (let i = 0; i < N; i += 4)
        seqs.push(...(await Promise.all([0, 1, 2, 3].map((k) => send(g, a, b, `n${i + k}`)))));
      return seqs.sort((x, y) => x - y);
    })();
    const got1 = (await messagesOf(first, 15)).slice(0, 15);
    await first.close();
    const last = got1[got1.length - 1]!.payload['seq'] as number;
    // Resume from the last seq this device saw while the sender is still sending.
    const second = await connected(g, b, last);
    try {
      const seqs = await sending;
      const got2 = await messagesOf(second, seqs.filter((s) => s > last).length);
      const all = [...got1, ...got2].map((f) => f.payload['seq'] as number);
      assert.deepEqual(all, seqs, 'every message once, in stream order, across the reconnect');
      await sleep(300);
      assert.equal(second.all('message').length, got2.length, 'nothing repeated afterwards');
    } finally {
      await second.close();
    }
  });

  it('hands out a message deleted for everyone before the device connected as a tombstone, never its content', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const secret = await g.messaging.SendMessage!(
      { recipient_user_id: b.userId, encrypted_content: Buffer.from('secret'), message_type: 'TEXT' },
      bearer(a.token),
    );
    assert.equal(secret.result, 'success', JSON.stringify(secret.error));
    const deleted = await g.messaging.DeleteMessage!(
      {
        message_id: secret.success.message_id,
        conversation_id: secret.success.conversation_id,
        delete_for_everyone: true,
      },
      bearer(a.token),
    );
    assert.equal(deleted.result, 'success', JSON.stringify(deleted.error));
    await send(g, a, b, 'kept');
    const s = await connected(g, b);
    try {
      const frames = await messagesOf(s, 2);
      assert.equal(frames[0]!.payload['message_id'], secret.success.message_id);
      assert.equal(frames[0]!.payload['is_deleted'], true);
      assert.equal(frames[0]!.payload['content'], '');
      assert.equal(text(frames[1]!), 'kept');
    } finally {
      await s.close();
    }
  });
});
