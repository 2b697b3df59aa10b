/**
 * The conversations view: each conversation with its participants and last
 * activity; per user, the conversations newest activity first with the unread
 * count; and the message-id index (which conversation and sequence holds a
 * message), used for idempotent sends and lookups by id.
 */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/keys.ts';
import { recordCodec } from '../view-codec.ts';

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

export const MemberRecord = t.type({
  conversationId: t.string,
  peerUserId: t.string,
  updatedAt: t.number,
  lastSeq: t.number,
  unread: t.number,
});
export type MemberRecord = t.TypeOf<typeof MemberRecord>;

export const MessageIndexRecord = t.type({ conversationId: t.string, seq: t.number, at: t.number, senderUserId: t.string });
export type MessageIndexRecord = t.TypeOf<typeof MessageIndexRecord>;

export const conversationRecord = recordCodec('conversation', ConversationRecord);
export const memberRecord = recordCodec('conversation member', MemberRecord);
export const messageIndexRecord = recordCodec('message index', MessageIndexRecord);

export const conversationsKeys = {
  prefixes: [childPrefix('conv'), childPrefix('msgidx')],
  conversation: (conversationId: string) => key('conv', 'id', conversationId),
  member: (userId: string, conversationId: string) => key('conv', 'member', userId, conversationId),
  /** Recency index: scanned in reverse it lists a user's conversations newest activity first. */
  recent: (userId: string, lastSeq: number, conversationId: string) => key('conv', 'recent', userId, lastSeq, conversationId),
  recentOf: (userId: string) => childPrefix('conv', 'recent', userId),
  message: (messageId: string) => key('msgidx', messageId),
};
