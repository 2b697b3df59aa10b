/** The conversation decider's receipts, deletions and clears (sending is in deciders.test.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import {
  CLEAR_RACED,
  conversationDecider as decider,
  directConversationId,
  directConversationPlace,
  MEMO_SIZE,
  type ConversationEvent,
  type ConversationState,
  type MessageFacts,
  type SendMessage,
} from './decider.ts';
import { fold } from '../handler/decider.ts';
import { legacyDirectConversationId } from '../../runtime/ids.ts';
import { subjects } from '../../streams/subjects.ts';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';
const c = '00000000-0000-4000-8000-00000000000c';
const conversationId = directConversationId(a, b);
const HOUR = 3_600_000;

const send = (from: string, to: string, messageId: string, at = 100): SendMessage => ({
  kind: 'SendMessage',
  conversationId: directConversationId(from, to),
  messageId,
  senderUserId: from,
  senderDeviceId: 'd',
  recipientUserId: to,
  recipientDeviceId: '',
  encryptedContent: new Uint8Array([1]),
  messageType: 'TEXT',
  clientMessageId: '',
  clientTimestamp: null,
  mediaId: '',
  x3dhPrekey: '',
  at,
});

const facts = (messageId: string, over: Partial<MessageFacts> = {}): MessageFacts => ({
  messageId,
  conversationId,
  seq: 7,
  senderUserId: a,
  recipientUserId: b,
  at: 100,
  read: false,
  deleted: false,
  hiddenFor: [],
  ...over,
});

function started(): ConversationState {
  const r = decider.decide(send(a, b, 'm1'), decider.initialState);
  assert.ok(isRight(r));
  return fold(decider, decider.initialState, r.right);
}

function apply(state: ConversationState, events: readonly ConversationEvent[]): ConversationState {
  return fold(decider, state, events);
}

const read = (reader: string, messages: MessageFacts[]) => ({
  kind: 'MarkMessagesRead' as const,
  conversationId,
  readerUserId: reader,
  readerDeviceId: 'rd',
  messages,
  at: 200,
});
const del = (userId: string, message: MessageFacts, forEveryone: boolean, at = 200) => ({
  kind: 'DeleteMessage' as const,
  conversationId,
  userId,
  message,
  forEveryone,
  windowMs: 48 * HOUR,
  at,
});

describe('conversation decider: read receipts', () => {
  it('lets the recipient mark unread messages, once each', () => {
    const s = started();
    const r = decider.decide(read(b, [facts('m1'), facts('m2'), facts('m1')]), s);
    assert.ok(isRight(r));
    assert.equal(r.right.length, 1);
    const e = r.right[0]!;
    assert.equal(e.type, 'MessagesRead');
    if (e.type === 'MessagesRead') {
      assert.deepEqual(e.data.messageIds, ['m1', 'm2']);
      assert.equal(e.data.readerUserId, b);
      assert.equal(e.data.readerDeviceId, 'rd');
      assert.deepEqual(e.data.participants, [a, b].sort());
    }
    // The memo knows them now, even while the view still says unread.
    const again = decider.decide(read(b, [facts('m1'), facts('m2')]), apply(s, r.right));
    assert.ok(isRight(again));
    assert.deepEqual(again.right, []);
  });

  it('leaves out messages the view knows as read or deleted, and messages to oneself', () => {
    const r = decider.decide(
      read(b, [facts('m1', { read: true }), facts('m2', { deleted: true }), facts('m3')]),
      started(),
    );
    assert.ok(isRight(r));
    assert.deepEqual(
      r.right.flatMap((e) => (e.type === 'MessagesRead' ? e.data.messageIds : [])),
      ['m3'],
    );
    const self = decider.decide(read(b, [facts('m4', { senderUserId: b, recipientUserId: b })]), started());
    assert.ok(isRight(self));
    assert.deepEqual(self.right, []);
  });

  it('refuses the sender (FORBIDDEN) and anyone outside the conversation (NOT_FOUND)', () => {
    const bySender = decider.decide(read(a, [facts('m1')]), started());
    assert.ok(isLeft(bySender));
    assert.equal(bySender.left.code, 'FORBIDDEN');
    assert.equal(bySender.left.field, 'message_ids');
    const byStranger = decider.decide(read(c, [facts('m1', { recipientUserId: c })]), started());
    assert.ok(isLeft(byStranger));
    assert.equal(byStranger.left.code, 'NOT_FOUND');
    const notStarted = decider.decide(read(b, [facts('m1')]), decider.initialState);
    assert.ok(isLeft(notStarted));
    assert.equal(notStarted.left.code, 'NOT_FOUND');
    const otherConversation = decider.decide(
      read(b, [facts('m1', { conversationId: directConversationId(b, c) })]),
      started(),
    );
    assert.ok(isLeft(otherConversation));
    assert.equal(otherConversation.left.code, 'NOT_FOUND');
  });
});

describe('conversation decider: deletion', () => {
  it('lets the sender delete for everyone within the window, once', () => {
    const s = started();
    const r = decider.decide(del(a, facts('m1'), true), s);
    assert.ok(isRight(r));
    assert.equal(r.right[0]?.type, 'MessageDeleted');
    if (r.right[0]?.type === 'MessageDeleted') {
      assert.equal(r.right[0].data.messageSeq, 7);
      assert.equal(r.right[0].data.deletedBy, a);
      assert.equal(r.right[0].data.forEveryone, true);
    }
    const again = decider.decide(del(a, facts('m1'), true), apply(s, r.right));
    assert.ok(isRight(again));
    assert.deepEqual(again.right, []);
    const known = decider.decide(del(a, facts('m1', { deleted: true }), true), s);
    assert.ok(isRight(known));
    assert.deepEqual(known.right, []);
  });

  it('refuses everyone but the sender, and the sender after the window, with FORBIDDEN', () => {
    const byRecipient = decider.decide(del(b, facts('m1'), true), started());
    assert.ok(isLeft(byRecipient));
    assert.equal(byRecipient.left.code, 'FORBIDDEN');
    assert.equal(byRecipient.left.field, 'delete_for_everyone');
    const late = decider.decide(del(a, facts('m1', { at: 100 }), true, 100 + 48 * HOUR + 1), started());
    assert.ok(isLeft(late));
    assert.equal(late.left.code, 'FORBIDDEN');
    assert.match(late.left.message, /48 h/);
    const justInTime = decider.decide(del(a, facts('m1', { at: 100 }), true, 100 + 48 * HOUR), started());
    assert.ok(isRight(justInTime));
    const stranger = decider.decide(del(c, facts('m1'), false), started());
    assert.ok(isLeft(stranger));
    assert.equal(stranger.left.code, 'NOT_FOUND');
    assert.equal(stranger.left.field, 'message_id');
  });

  it('hides a message for either participant only, once, at any age', () => {
    const s = started();
    for (const who of [a, b]) {
      const r = decider.decide(del(who, facts('m1'), false, 10 * 48 * HOUR), s);
      assert.ok(isRight(r));
      assert.equal(r.right[0]?.type, 'MessageHiddenForUser');
      if (r.right[0]?.type === 'MessageHiddenForUser') assert.equal(r.right[0].data.userId, who);
      const again = decider.decide(del(who, facts('m1'), false), apply(s, r.right));
      assert.ok(isRight(again));
      assert.deepEqual(again.right, []);
    }
    const known = decider.decide(del(b, facts('m1', { hiddenFor: [b] }), false), s);
    assert.ok(isRight(known));
    assert.deepEqual(known.right, []);
  });
});

describe('conversation decider: clearing and resuming', () => {
  it('clears for a participant when no message came since the request was prepared', () => {
    const s = started();
    assert.equal(s.lastMessageId, 'm1');
    const r = decider.decide(
      { kind: 'ClearChat', conversationId, userId: b, uptoSeq: 9, expectLastMessageId: 'm1', at: 300 },
      s,
    );
    assert.ok(isRight(r));
    assert.equal(r.right[0]?.type, 'ChatCleared');
    if (r.right[0]?.type === 'ChatCleared') assert.equal(r.right[0].data.uptoSeq, 9);
    const raced = decider.decide(
      { kind: 'ClearChat', conversationId, userId: b, uptoSeq: 9, expectLastMessageId: 'm0', at: 300 },
      s,
    );
    assert.ok(isLeft(raced));
    assert.equal(raced.left.message, CLEAR_RACED);
    const stranger = decider.decide(
      { kind: 'ClearChat', conversationId, userId: c, uptoSeq: 9, expectLastMessageId: 'm1', at: 300 },
      s,
    );
    assert.ok(isLeft(stranger));
    assert.equal(stranger.left.code, 'NOT_FOUND');
    assert.equal(stranger.left.field, 'conversation_id');
  });

  it('resumes from a last commit of any kind, since each names the participants', () => {
    const s = started();
    const receipt = decider.decide(read(b, [facts('m1')]), s);
    assert.ok(isRight(receipt));
    const resumed = decider.fromLastCommit!(receipt.right);
    assert.deepEqual(resumed?.participants, [a, b].sort());
    assert.equal(resumed?.started, true);
    assert.equal(resumed?.lastMessageId, null, 'unknown after a commit without a message');
    assert.ok(resumed?.recentlyRead.has('m1'));
    const sent = decider.decide(send(b, a, 'm9'), s);
    assert.ok(isRight(sent));
    assert.equal(decider.fromLastCommit!(sent.right)?.lastMessageId, 'm9');
  });

  it('keeps its memo bounded', () => {
    let s = started();
    for (let i = 0; i < MEMO_SIZE + 10; i += 100) {
      const r = decider.decide(
        read(
          b,
          Array.from({ length: 100 }, (_, j) => facts(`x${i + j}`)),
        ),
        s,
      );
      assert.ok(isRight(r));
      s = apply(s, r.right);
    }
    assert.equal(s.recentlyRead.size, MEMO_SIZE);
    assert.ok(!s.recentlyRead.has('x0'), 'the oldest are forgotten first');
  });
});

describe('the place of a 1:1 conversation', () => {
  it('is the same, remembered, for either order of the pair: the contract id, its subject, the former subject', () => {
    const a = '7c2f6f4e-3b1a-4c8e-9a55-0d6b7e1f2a3b';
    const b = '1e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
    const place = directConversationPlace(a, b);
    assert.equal(place.conversationId, directConversationId(a, b));
    assert.equal(place.subject, subjects.conversation(directConversationId(a, b)));
    assert.equal(place.formerSubject, subjects.conversation(legacyDirectConversationId(a, b)));
    assert.equal(directConversationPlace(b, a), place, 'remembered: no hashing on the next send of the pair');
    assert.notEqual(
      directConversationPlace(a, '2e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b').conversationId,
      place.conversationId,
    );
  });
});
