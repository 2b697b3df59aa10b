/**
 * MessagingService over real gRPC against a real nats-server, after sending:
 * MarkAsRead, DeleteMessage, ClearChat, GetConversations and
 * SendTypingIndicator, their refusals, and the unread counts they keep exact.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn, useGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { subscribeTyping, type TypingSignal } from '../../streams/typing.ts';
import { connectSignals, type OwnedSignals } from '../../streams/signals.ts';
import { withEventLog } from '../support/event-log.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}
type Reply = Record<string, any>;

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function registerUser(g: TestGuardyn, name = uniqueName()): Promise<Account> {
  const r = await g.auth.Register!({
    username: name,
    password: 'correct horse battery',
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username: name };
}

async function send(g: TestGuardyn, from: Account, to: Account, text: string): Promise<Reply> {
  const r = await g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from(text), message_type: 'TEXT' },
    bearer(from.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return r.success;
}

const seqOf = (r: Reply) => String(r.consistency?.seq ?? r.success?.consistency?.seq);

async function history(g: TestGuardyn, who: Account, peer: Account, minSeq = '0'): Promise<string[]> {
  const r = await g.messaging.GetMessages!(
    { conversation_user_id: peer.userId, limit: 100, min_seq: minSeq },
    bearer(who.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  assert.equal(r.success.stale, false);
  return r.success.messages.map((m: Reply) =>
    m.is_deleted ? `${m.message_id}:deleted` : m.encrypted_content.toString(),
  );
}

async function conversationsOf(
  g: TestGuardyn,
  who: Account,
  minSeq = '0',
  extra: Record<string, unknown> = {},
): Promise<Reply[]> {
  const r = await g.messaging.GetConversations!({ min_seq: minSeq, ...extra }, bearer(who.token));
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  assert.equal(r.success.stale, false);
  return r.success.conversations;
}

async function unreadWith(g: TestGuardyn, who: Account, peer: Account, minSeq: string): Promise<number> {
  const row = (await conversationsOf(g, who, minSeq)).find((c) => c.user_id === peer.userId);
  assert.ok(row, 'the conversation is listed');
  return row.unread_count;
}

function expectError(r: Reply, code: string, field?: string): void {
  assert.equal(r.result, 'error', JSON.stringify(r.success));
  assert.equal(r.error.code, code, r.error.message);
  if (field !== undefined) assert.equal(r.error.details.field, field, r.error.message);
}

describe('conversation RPCs over gRPC', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  useGuardyn((started) => ({ nats, g } = started));

  it('MarkAsRead: the recipient marks once, unread counts follow, re-marking counts 0', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const sent = [await send(g, a, b, 'one'), await send(g, a, b, 'two'), await send(g, a, b, 'three')];
    assert.equal(await unreadWith(g, b, a, seqOf(sent[2]!)), 3);
    assert.equal(await unreadWith(g, a, b, '0'), 0, 'the sender has nothing unread');

    const marked = await g.messaging.MarkAsRead!(
      { message_ids: [sent[0]!.message_id, sent[1]!.message_id, sent[0]!.message_id] },
      bearer(b.token),
    );
    assert.equal(marked.result, 'success', JSON.stringify(marked.error));
    assert.equal(marked.success.messages_marked, 2);
    assert.equal(marked.success.marked_count, 2);
    assert.ok(Number(marked.success.timestamp.seconds) > 0);
    assert.equal(marked.success.consistency.stream, 'MESSAGES');
    assert.equal(await unreadWith(g, b, a, seqOf(marked)), 1);

    const again = await g.messaging.MarkAsRead!(
      { message_ids: [sent[0]!.message_id, sent[1]!.message_id] },
      bearer(b.token),
    );
    assert.equal(again.success.messages_marked, 0);
    assert.equal(again.success.marked_count, 0);
    const last = await g.messaging.MarkAsRead!({ message_ids: [sent[2]!.message_id] }, bearer(b.token));
    assert.equal(last.success.marked_count, 1);
    assert.equal(await unreadWith(g, b, a, seqOf(last)), 0);
  });

  it('MarkAsRead: messages of two conversations in one request, and two devices racing, count each message once', async () => {
    const a = await registerUser(g);
    const c = await registerUser(g);
    const b = await registerUser(g);
    const fromA = [await send(g, a, b, 'a1'), await send(g, a, b, 'a2')];
    const fromC = [await send(g, c, b, 'c1'), await send(g, c, b, 'c2')];
    const phone = await g.auth.Login!({
      username: b.username,
      password: 'correct horse battery',
      device_name: 'phone',
      device_type: 'ios',
    });
    assert.equal(phone.result, 'success', JSON.stringify(phone.error));
    const ids = [...fromA, ...fromC].map((m) => m.message_id);
    const [one, two] = await Promise.all([
      g.messaging.MarkAsRead!({ message_ids: ids }, bearer(b.token)),
      g.messaging.MarkAsRead!({ message_ids: [...ids].reverse() }, bearer(phone.success.access_token)),
    ]);
    assert.equal(one.result, 'success', JSON.stringify(one.error));
    assert.equal(two.result, 'success', JSON.stringify(two.error));
    assert.equal(one.success.marked_count + two.success.marked_count, 4, 'each message is newly marked once');
    const minSeq = String(Math.max(Number(seqOf(one)), Number(seqOf(two))));
    assert.equal(await unreadWith(g, b, a, minSeq), 0);
    assert.equal(await unreadWith(g, b, c, minSeq), 0);
  });

  it('MarkAsRead: refuses the sender, strangers, unknown ids and malformed input, and marks nothing then', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const c = await registerUser(g);
    const m = await send(g, a, b, 'hello');
    expectError(
      await g.messaging.MarkAsRead!({ message_ids: [m.message_id] }, bearer(a.token)),
      'FORBIDDEN',
      'message_ids',
    );
    expectError(
      await g.messaging.MarkAsRead!({ message_ids: [m.message_id] }, bearer(c.token)),
      'NOT_FOUND',
      'message_ids',
    );
    expectError(
      await g.messaging.MarkAsRead!({ message_ids: [m.message_id, UNKNOWN] }, bearer(b.token)),
      'NOT_FOUND',
      'message_ids',
    );
    expectError(await g.messaging.MarkAsRead!({ message_ids: [] }, bearer(b.token)), 'INVALID_REQUEST', 'message_ids');
    expectError(
      await g.messaging.MarkAsRead!({ message_ids: [m.message_id, 'not-a-uuid'] }, bearer(b.token)),
      'INVALID_REQUEST',
      'message_ids[1]',
    );
    expectError(
      await g.messaging.MarkAsRead!({ message_ids: Array.from({ length: 501 }, () => m.message_id) }, bearer(b.token)),
      'INVALID_REQUEST',
      'message_ids',
    );
    expectError(await g.messaging.MarkAsRead!({ message_ids: [m.message_id] }), 'UNAUTHORIZED');
    assert.equal(await unreadWith(g, b, a, seqOf(m)), 1, 'no refused request marked anything');
  });

  it('DeleteMessage for everyone: the sender leaves a tombstone in order for both, and the unread count drops', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    await send(g, a, b, 'first');
    const middle = await send(g, a, b, 'oops');
    const lastSent = await send(g, b, a, 'last');
    assert.equal(await unreadWith(g, b, a, seqOf(lastSent)), 2);

    expectError(
      await g.messaging.DeleteMessage!({ message_id: middle.message_id, delete_for_everyone: true }, bearer(b.token)),
      'FORBIDDEN',
      'delete_for_everyone',
    );
    const deleted = await g.messaging.DeleteMessage!(
      { message_id: middle.message_id, conversation_id: middle.conversation_id, delete_for_everyone: true },
      bearer(a.token),
    );
    assert.equal(deleted.result, 'success', JSON.stringify(deleted.error));
    assert.equal(deleted.success.deleted, true);
    assert.equal(deleted.success.message_id, middle.message_id);
    const after = seqOf(deleted);
    assert.deepEqual(await history(g, a, b, after), ['last', `${middle.message_id}:deleted`, 'first']);
    assert.deepEqual(await history(g, b, a, after), ['last', `${middle.message_id}:deleted`, 'first']);
    const page = await g.messaging.GetMessages!({ conversation_user_id: a.userId }, bearer(b.token));
    const tomb = page.success.messages[1];
    assert.equal(tomb.is_deleted, true);
    assert.equal(tomb.encrypted_content.length, 0);
    assert.equal(tomb.sender_user_id, a.userId);
    assert.equal(await unreadWith(g, b, a, after), 1);

    const twice = await g.messaging.DeleteMessage!(
      { message_id: middle.message_id, delete_for_everyone: true },
      bearer(a.token),
    );
    assert.equal(twice.success.deleted, true, 'deleting again is answered as done');
    const marked = await g.messaging.MarkAsRead!({ message_ids: [middle.message_id] }, bearer(b.token));
    assert.equal(marked.success.marked_count, 0, 'a deleted message has nothing left to read');
  });

  it('DeleteMessage for the caller only: hidden from the caller, kept for the peer', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const m1 = await send(g, a, b, 'keep');
    const m2 = await send(g, a, b, 'hide me');
    assert.equal(await unreadWith(g, b, a, seqOf(m2)), 2);
    const hidden = await g.messaging.DeleteMessage!({ message_id: m2.message_id }, bearer(b.token));
    assert.equal(hidden.result, 'success', JSON.stringify(hidden.error));
    const after = seqOf(hidden);
    assert.deepEqual(await history(g, b, a, after), ['keep']);
    assert.deepEqual(await history(g, a, b, after), ['hide me', 'keep']);
    assert.equal(await unreadWith(g, b, a, after), 1, 'hiding an unread message lowers the unread count');
    const own = await g.messaging.DeleteMessage!(
      { message_id: m1.message_id, delete_for_everyone: false },
      bearer(a.token),
    );
    assert.equal(own.success.deleted, true);
    assert.deepEqual(await history(g, a, b, seqOf(own)), ['hide me']);
    assert.deepEqual(await history(g, b, a, seqOf(own)), ['keep']);
  });

  it('DeleteMessage: unknown, foreign and malformed requests are refused', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const c = await registerUser(g);
    const m = await send(g, a, b, 'x');
    const other = await send(g, a, c, 'y');
    expectError(await g.messaging.DeleteMessage!({ message_id: UNKNOWN }, bearer(a.token)), 'NOT_FOUND', 'message_id');
    expectError(
      await g.messaging.DeleteMessage!({ message_id: m.message_id }, bearer(c.token)),
      'NOT_FOUND',
      'message_id',
    );
    // A real message named with a conversation that is not its own: the error names conversation_id ...
    const misplaced = await g.messaging.DeleteMessage!(
      { message_id: m.message_id, conversation_id: other.conversation_id, delete_for_everyone: true },
      bearer(a.token),
    );
    expectError(misplaced, 'NOT_FOUND', 'conversation_id');
    assert.match(misplaced.error.message, /conversation_id/);
    // ... unless the caller cannot see the message: then it is unknown, as any id would be.
    expectError(
      await g.messaging.DeleteMessage!(
        { message_id: m.message_id, conversation_id: other.conversation_id },
        bearer(c.token),
      ),
      'NOT_FOUND',
      'message_id',
    );
    expectError(await g.messaging.DeleteMessage!({ message_id: '' }, bearer(a.token)), 'INVALID_REQUEST', 'message_id');
    expectError(
      await g.messaging.DeleteMessage!({ message_id: m.message_id, conversation_id: 'nope' }, bearer(a.token)),
      'INVALID_REQUEST',
      'conversation_id',
    );
    // The timeline reads on its own reader (its store may be slower than the index the deletes
    // waited for): the read names the send's sequence, as a client does.
    assert.deepEqual(await history(g, b, a, seqOf(m)), ['x']);
  });

  it("ClearChat: clears the caller's history only, counts what it cleared, and shows what comes after", async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const c = await registerUser(g);
    await send(g, a, b, 'one');
    const two = await send(g, b, a, 'two');
    const three = await send(g, a, b, 'three');
    await g.messaging.DeleteMessage!({ message_id: two.message_id }, bearer(b.token));
    assert.equal(await unreadWith(g, b, a, seqOf(three)), 2);

    expectError(
      await g.messaging.ClearChat!({ conversation_id: three.conversation_id }, bearer(c.token)),
      'NOT_FOUND',
      'conversation_id',
    );
    expectError(
      await g.messaging.ClearChat!({ conversation_id: '' }, bearer(b.token)),
      'INVALID_REQUEST',
      'conversation_id',
    );
    const cleared = await g.messaging.ClearChat!({ conversation_id: three.conversation_id }, bearer(b.token));
    assert.equal(cleared.result, 'success', JSON.stringify(cleared.error));
    assert.equal(cleared.success.deleted_count, 2, 'the two messages b still saw');
    const after = seqOf(cleared);
    assert.deepEqual(await history(g, b, a, after), []);
    assert.deepEqual(await history(g, a, b, after), ['three', 'two', 'one']);
    const rowB = (await conversationsOf(g, b, after)).find((r) => r.conversation_id === three.conversation_id);
    assert.equal(rowB?.unread_count, 0);
    assert.equal(rowB?.last_message, null);

    const four = await send(g, a, b, 'four');
    assert.deepEqual(await history(g, b, a, seqOf(four)), ['four']);
    assert.equal(await unreadWith(g, b, a, seqOf(four)), 1);
    const again = await g.messaging.ClearChat!({ conversation_id: three.conversation_id }, bearer(b.token));
    assert.equal(again.success.deleted_count, 1);
    const empty = await g.messaging.ClearChat!({ conversation_id: three.conversation_id }, bearer(b.token));
    assert.equal(empty.success.deleted_count, 0);
  });

  it('GetConversations: one row per conversation, newest activity first, with peer, last message and unread', async () => {
    const me = await registerUser(g);
    const p1 = await registerUser(g);
    const p2 = await registerUser(g);
    assert.deepEqual(await conversationsOf(g, me), []);
    await send(g, p1, me, 'from p1');
    const toP2 = await send(g, me, p2, 'to p2');
    const fromP2 = await send(g, p2, me, 'from p2');
    let rows = await conversationsOf(g, me, seqOf(fromP2));
    assert.deepEqual(
      rows.map((r) => r.user_id),
      [p2.userId, p1.userId],
    );
    assert.deepEqual(
      rows.map((r) => r.username),
      [p2.username, p1.username],
    );
    assert.deepEqual(
      rows.map((r) => r.unread_count),
      [1, 1],
    );
    assert.equal(rows[0]!.conversation_id, toP2.conversation_id);
    assert.equal(rows[0]!.last_message.encrypted_content.toString(), 'from p2');
    assert.equal(rows[0]!.last_message.message_id, fromP2.message_id);
    assert.equal(rows[0]!.updated_at.seconds, fromP2.server_timestamp.seconds);

    const newer = await send(g, p1, me, 'again p1');
    const del = await g.messaging.DeleteMessage!(
      { message_id: newer.message_id, delete_for_everyone: true },
      bearer(p1.token),
    );
    rows = await conversationsOf(g, me, seqOf(del));
    assert.deepEqual(
      rows.map((r) => r.user_id),
      [p1.userId, p2.userId],
      'the newest activity first',
    );
    assert.equal(rows[0]!.last_message.is_deleted, true, 'a deleted last message is a tombstone');
    assert.equal(rows[0]!.last_message.encrypted_content.length, 0);
    assert.equal(rows[0]!.unread_count, 1, 'the deleted message no longer counts');
    assert.equal((await conversationsOf(g, me, '0', { limit: 1 })).length, 1);
    expectError(await g.messaging.GetConversations!({ limit: 101 }, bearer(me.token)), 'INVALID_REQUEST', 'limit');
    expectError(await g.messaging.GetConversations!({}), 'UNAUTHORIZED');
  });

  describe('SendTypingIndicator', () => {
    let signals: OwnedSignals;
    before(async () => {
      signals = await connectSignals(nats.url);
    });
    after(async () => {
      await signals?.close();
    });

    it('reaches a core-NATS subscriber of the recipient and is never stored', async () => {
      const a = await registerUser(g);
      const b = await registerUser(g);
      const got: TypingSignal[] = [];
      let arrived = () => {};
      const unsubscribe = subscribeTyping(signals, b.userId, (signal) => {
        got.push(signal);
        arrived();
      });
      await signals.flush();
      const lastBefore = await withEventLog(nats.url, (log) => log.lastSeq('MESSAGES'));
      for (const isTyping of [true, false]) {
        const r = await g.messaging.SendTypingIndicator!(
          { recipient_user_id: b.userId, is_typing: isTyping },
          bearer(a.token),
        );
        assert.equal(r.result, 'success', JSON.stringify(r.error));
        assert.equal(r.success.sent, true);
      }
      while (got.length < 2) await new Promise<void>((resolve) => (arrived = resolve));
      unsubscribe();
      assert.equal(got.length, 2);
      assert.equal(got[0]?.fromUserId, a.userId);
      assert.equal(got[0]?.fromDeviceId, a.deviceId);
      assert.equal(got[0]?.toUserId, b.userId);
      assert.deepEqual(
        got.map((s) => s?.isTyping),
        [true, false],
      );
      await withEventLog(nats.url, async (log) => {
        assert.equal(await log.lastSeq('MESSAGES'), lastBefore, 'nothing was appended');
        for (const [name, captured] of Object.entries(await log.streamSubjects()))
          assert.ok(!captured.some((subject) => subject.startsWith('typing')), `${name} captures no typing subject`);
      });
    });

    it('is throttled per (sender, recipient) with RATE_LIMITED and retry_after_seconds', async () => {
      const a = await registerUser(g);
      const b = await registerUser(g);
      const c = await registerUser(g);
      const replies = await Promise.all(
        Array.from({ length: 6 }, () =>
          g.messaging.SendTypingIndicator!({ recipient_user_id: b.userId, is_typing: true }, bearer(a.token)),
        ),
      );
      assert.equal(replies.filter((r) => r.result === 'success').length, 5);
      const limited = replies.find((r) => r.result === 'error')!;
      expectError(limited, 'RATE_LIMITED');
      assert.ok(Number(limited.error.details.retry_after_seconds) >= 1);
      const other = await g.messaging.SendTypingIndicator!(
        { recipient_user_id: c.userId, is_typing: true },
        bearer(a.token),
      );
      assert.equal(other.result, 'success', 'another recipient has its own budget');
      await sleep(1100);
      const later = await g.messaging.SendTypingIndicator!(
        { recipient_user_id: b.userId, is_typing: false },
        bearer(a.token),
      );
      assert.equal(later.result, 'success', 'the window slides');
    });

    it('refuses unknown recipients and malformed input', async () => {
      const a = await registerUser(g);
      expectError(
        await g.messaging.SendTypingIndicator!({ recipient_user_id: UNKNOWN, is_typing: true }, bearer(a.token)),
        'NOT_FOUND',
        'recipient_user_id',
      );
      expectError(
        await g.messaging.SendTypingIndicator!({ recipient_user_id: 'x', is_typing: true }, bearer(a.token)),
        'INVALID_REQUEST',
        'recipient_user_id',
      );
      expectError(
        await g.messaging.SendTypingIndicator!({ is_typing: true }, bearer(a.token)),
        'INVALID_REQUEST',
        'recipient_user_id',
      );
      expectError(await g.messaging.SendTypingIndicator!({ recipient_user_id: a.userId }), 'UNAUTHORIZED');
    });
  });
});

describe('the delete-for-everyone window', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { env: { GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS: '1' } });
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  it('refuses the sender with FORBIDDEN once the window has passed; hiding still works', async () => {
    const a = await registerUser(g);
    const b = await registerUser(g);
    const m = await send(g, a, b, 'too late');
    await sleep(1100);
    expectError(
      await g.messaging.DeleteMessage!({ message_id: m.message_id, delete_for_everyone: true }, bearer(a.token)),
      'FORBIDDEN',
      'delete_for_everyone',
    );
    const hidden = await g.messaging.DeleteMessage!({ message_id: m.message_id }, bearer(a.token));
    assert.equal(hidden.result, 'success', JSON.stringify(hidden.error));
    assert.deepEqual(await history(g, b, a, seqOf(hidden)), ['too late']);
    assert.deepEqual(await history(g, a, b, seqOf(hidden)), []);
  });
});
