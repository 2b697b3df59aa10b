/** Events of the MESSAGES stream: conversations and the messages sent in them. */
import * as t from 'io-ts';
import { Base64Bytes, EpochMs } from './codecs.ts';
import { defineEvent } from './registry.ts';

export const MESSAGE_TYPES = ['TEXT', 'IMAGE', 'VIDEO', 'AUDIO', 'FILE', 'VOICE_NOTE', 'LOCATION'] as const;
export const MessageTypeName = t.keyof(Object.fromEntries(MESSAGE_TYPES.map((m) => [m, null])) as Record<(typeof MESSAGE_TYPES)[number], null>);
export type MessageTypeName = t.TypeOf<typeof MessageTypeName>;

export const ConversationStarted = defineEvent(
  'ConversationStarted',
  1,
  t.type({ conversationId: t.string, participants: t.array(t.string), at: EpochMs }),
);

/** The fields of MessageSent, for views that store a message in their own layout. */
export const MessageSentProps = {
    messageId: t.string,
    conversationId: t.string,
    senderUserId: t.string,
    senderDeviceId: t.string,
    recipientUserId: t.string,
    /** Empty: every device of the recipient. */
    recipientDeviceId: t.string,
    /** Ciphertext exactly as the client sent it; the server never sees plaintext. */
    encryptedContent: Base64Bytes,
    messageType: MessageTypeName,
    clientMessageId: t.string,
    /** The client's clock exactly as sent, or null when it gave none. */
    clientTimestamp: t.union([t.type({ seconds: t.number, nanos: t.number }), t.null]),
    mediaId: t.string,
    x3dhPrekey: t.string,
    at: EpochMs,
};

export const MessageSent = defineEvent('MessageSent', 1, t.type(MessageSentProps));

/*
 * What happens to messages after they were sent, on the conversation's subject.
 * Each of these names the conversation and both participants (as every commit
 * of a conversation does, so the aggregate resumes from its last commit alone),
 * and, where one message is meant, its stream sequence (`messageSeq`: the
 * timeline position of the message, so views rewrite the row without a lookup).
 */

/** A read receipt: the recipient read these messages (ids of messages not read before). */
export const MessagesRead = defineEvent('MessagesRead', 1, t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  readerUserId: t.string,
  readerDeviceId: t.string,
  messageIds: t.array(t.string),
  at: EpochMs,
}));

/** The sender deleted a message for everyone: views keep a tombstone in its place. */
export const MessageDeleted = defineEvent('MessageDeleted', 1, t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  messageId: t.string,
  messageSeq: t.number,
  deletedBy: t.string,
  forEveryone: t.literal(true),
  at: EpochMs,
}));

/** A participant deleted a message for themselves only: hidden from that user's views. */
export const MessageHiddenForUser = defineEvent('MessageHiddenForUser', 1, t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  messageId: t.string,
  messageSeq: t.number,
  userId: t.string,
  at: EpochMs,
}));

/** A participant cleared the history for themselves: every message up to `uptoSeq` (a stream sequence). */
export const ChatCleared = defineEvent('ChatCleared', 1, t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  userId: t.string,
  uptoSeq: t.number,
  at: EpochMs,
}));

export const messageEvents = [ConversationStarted, MessageSent, MessagesRead, MessageDeleted, MessageHiddenForUser, ChatCleared] as const;
