/** The conversation decider's basics (moved here from the account folder's decider tests). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { conversationDecider, directConversationId, type SendMessage } from './decider.ts';
import { fold } from '../handler/decider.ts';

describe('conversation decider', () => {
  const a = '00000000-0000-4000-8000-00000000000a';
  const b = '00000000-0000-4000-8000-00000000000b';
  const c = '00000000-0000-4000-8000-00000000000c';
  const send = (from: string, to: string, over: Partial<SendMessage> = {}): SendMessage => ({
    kind: 'SendMessage',
    conversationId: directConversationId(from, to),
    messageId: 'm1',
    senderUserId: from,
    senderDeviceId: 'd',
    recipientUserId: to,
    recipientDeviceId: '',
    encryptedContent: new Uint8Array([1, 2, 3]),
    messageType: 'TEXT',
    clientMessageId: '',
    clientTimestamp: null,
    mediaId: '',
    x3dhPrekey: '',
    at: 100,
    ...over,
  });

  it('gives both users the same conversation id', () => {
    assert.equal(directConversationId(a, b), directConversationId(b, a));
    assert.notEqual(directConversationId(a, b), directConversationId(a, c));
  });

  it('starts the conversation with the first message and then only appends messages', () => {
    const first = conversationDecider.decide(send(a, b), conversationDecider.initialState);
    assert.ok(isRight(first));
    assert.deepEqual(
      first.right.map((e) => e.type),
      ['ConversationStarted', 'MessageSent'],
    );
    const s = fold(conversationDecider, conversationDecider.initialState, first.right);
    assert.deepEqual(s.participants, [a, b].sort());
    const reply = conversationDecider.decide(send(b, a), s);
    assert.ok(isRight(reply));
    assert.deepEqual(
      reply.right.map((e) => e.type),
      ['MessageSent'],
    );
  });

  it('keeps the ciphertext exactly as sent', () => {
    const r = conversationDecider.decide(
      send(a, b, { encryptedContent: new Uint8Array([9, 8, 7]), x3dhPrekey: 'pk' }),
      conversationDecider.initialState,
    );
    assert.ok(isRight(r));
    const sent = r.right[1]!;
    assert.equal(sent.type, 'MessageSent');
    if (sent.type === 'MessageSent') {
      assert.deepEqual([...sent.data.encryptedContent], [9, 8, 7]);
      assert.equal(sent.data.x3dhPrekey, 'pk');
    }
  });

  it('refuses a conversation id that is not the pair of sender and recipient', () => {
    const r = conversationDecider.decide(
      send(a, b, { conversationId: directConversationId(a, c) }),
      conversationDecider.initialState,
    );
    assert.ok(isLeft(r));
    assert.equal(r.left.code, 'FORBIDDEN');
  });

  it('rebuilds its state from the last commit alone', () => {
    const r = conversationDecider.decide(send(b, a), conversationDecider.initialState);
    assert.ok(isRight(r));
    const resumed = conversationDecider.fromLastCommit!([r.right[1]!]);
    assert.equal(resumed?.started, true);
    assert.deepEqual(resumed?.participants, [a, b].sort());
    assert.equal(conversationDecider.fromLastCommit!([]), undefined);
  });
});
