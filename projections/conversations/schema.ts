/**
 * The conversations view: each conversation with its participants and last
 * activity; per user, the conversations newest activity first with the exact
 * unread count, how many messages the user still sees and where the user
 * cleared the history; and the message-id index (which conversation and
 * sequence holds a message, who sent it to whom, and whether it was read,
 * deleted for everyone or hidden by a participant), used for idempotent sends,
 * lookups by id, and the facts receipts and deletions decide on.
 *
 *   conv/id/<conversationId>                     → ConversationRecord
 *   conv/member/<userId>/<conversationId>        → MemberRecord
 *   conv/recent/<userId>/<lastSeq>/<conversationId> → 1 (recency index)
 *   msgidx/<messageId>                           → MessageIndexRecord
 *
 * Fields added after the first version are optional in the records, so a view
 * written before them still reads (`guardyn rebuild conversations` fills them).
 */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const ConversationRecord = t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  createdAt: t.number,
  updatedAt: t.number,
  lastSeq: t.number,
  lastMessageId: t.string,
  messageCount: t.number,
});
export type ConversationRecord = t.TypeOf<typeof ConversationRecord>;

export const MemberRecord = t.intersection([
  t.type({
    conversationId: t.string,
    peerUserId: t.string,
    updatedAt: t.number,
    /** Sequence of the conversation's newest message. */
    lastSeq: t.number,
    /** Messages to this user that it has not read, deleted, hidden or cleared. */
    unread: t.number,
  }),
  t.partial({
    /** Messages this user still sees (tombstones included): not hidden, after `clearedUpto`. */
    visible: t.number,
    /** The user cleared the history up to this stream sequence (0: never). */
    clearedUpto: t.number,
  }),
]);
export type MemberRecord = t.TypeOf<typeof MemberRecord>;

export const MessageIndexRecord = t.intersection([
  t.type({ conversationId: t.string, seq: t.number, at: t.number, senderUserId: t.string }),
  t.partial({
    recipientUserId: t.string,
    /** When the recipient read it (absent: unread). */
    readAt: t.number,
    /** Deleted for everyone. */
    deleted: t.boolean,
    /** Users who hid it for themselves. */
    hiddenFor: t.array(t.string),
  }),
]);
export type MessageIndexRecord = t.TypeOf<typeof MessageIndexRecord>;

export const conversationRecord = recordCodec('conversation', ConversationRecord);
export const memberRecord = recordCodec('conversation member', MemberRecord);
export const messageIndexRecord = recordCodec('message index', MessageIndexRecord);

export const conversationsKeys = {
  prefixes: [childPrefix('conv'), childPrefix('msgidx')],
  conversation: (conversationId: string) => key('conv', 'id', conversationId),
  member: (userId: string, conversationId: string) => key('conv', 'member', userId, conversationId),
  /** Recency index: scanned in reverse it lists a user's conversations newest activity first. */
  recent: (userId: string, lastSeq: number, conversationId: string) =>
    key('conv', 'recent', userId, lastSeq, conversationId),
  recentOf: (userId: string) => childPrefix('conv', 'recent', userId),
  message: (messageId: string) => key('msgidx', messageId),
};

/** The conversation id at the end of a recency key (after the user prefix, 8 bytes of sequence and a separator). */
export function conversationIdOfRecentKey(userId: string, recentKey: Uint8Array): string {
  const offset = conversationsKeys.recentOf(userId).length + 8 + 1;
  return Buffer.from(recentKey.buffer, recentKey.byteOffset + offset, recentKey.byteLength - offset).toString('utf8');
}
