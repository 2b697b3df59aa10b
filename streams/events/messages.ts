/** Events of the MESSAGES stream: conversations and the messages sent in them. */
import * as t from 'io-ts';
import { Base64Bytes, EpochMs } from './codecs.ts';
import { defineEvent } from './registry.ts';
import { directConversationId } from '../../runtime/ids.ts';

/*
 * Schema version 2 of the conversation events: `conversationId` is the 1:1 id of the
 * contract (UUIDv5 of the two user ids, runtime/ids.ts). Version 1 carried Guardyn's
 * earlier id of the same pair (a version 8 UUID); the upcaster puts the contract's id in
 * its place, computed from the participants every event names, so every reader (command
 * handler, views, replay) sees one id per conversation whatever the commit's age. The
 * stored bytes are never rewritten: the hash chain and `audit verify` are unchanged.
 */
const CONVERSATION_EVENTS_VERSION = 2;

type Named = { conversationId: string };
/** The upcaster of a version 1 conversation event: the same shape, the contract's id from the pair. */
function canonicalId<A extends Named>(codec: t.Type<A, unknown, unknown>, pair: (old: A) => readonly [string, string]) {
  return new Map([
    [
      1,
      {
        codec: codec as t.Type<unknown, unknown, unknown>,
        up: (old: unknown) => {
          const o = old as A;
          const [a, b] = pair(o);
          return { ...o, conversationId: directConversationId(a, b) };
        },
      },
    ],
  ]);
}

/** Both participants of an event that lists them (one user twice for a conversation with oneself). */
const participantsPair = (o: { participants: string[] }): readonly [string, string] => [
  o.participants[0] ?? '',
  o.participants[1] ?? o.participants[0] ?? '',
];

export const MESSAGE_TYPES = ['TEXT', 'IMAGE', 'VIDEO', 'AUDIO', 'FILE', 'VOICE_NOTE', 'LOCATION'] as const;
export const MessageTypeName = t.keyof(
  Object.fromEntries(MESSAGE_TYPES.map((m) => [m, null])) as Record<(typeof MESSAGE_TYPES)[number], null>,
);
export type MessageTypeName = t.TypeOf<typeof MessageTypeName>;

const ConversationStartedV = t.type({ conversationId: t.string, participants: t.array(t.string), at: EpochMs });
export const ConversationStarted = defineEvent(
  'ConversationStarted',
  CONVERSATION_EVENTS_VERSION,
  ConversationStartedV,
  canonicalId(ConversationStartedV, participantsPair),
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

const MessageSentV = t.type(MessageSentProps);
export const MessageSent = defineEvent(
  'MessageSent',
  CONVERSATION_EVENTS_VERSION,
  MessageSentV,
  canonicalId(MessageSentV, (o) => [o.senderUserId, o.recipientUserId]),
);

/*
 * What happens to messages after they were sent, on the conversation's subject.
 * Each of these names the conversation and both participants (as every commit
 * of a conversation does, so the aggregate resumes from its last commit alone),
 * and, where one message is meant, its stream sequence (`messageSeq`: the
 * timeline position of the message, so views rewrite the row without a lookup).
 */

/** A read receipt: the recipient read these messages (ids of messages not read before). */
const MessagesReadV = t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  readerUserId: t.string,
  readerDeviceId: t.string,
  messageIds: t.array(t.string),
  at: EpochMs,
});
export const MessagesRead = defineEvent(
  'MessagesRead',
  CONVERSATION_EVENTS_VERSION,
  MessagesReadV,
  canonicalId(MessagesReadV, participantsPair),
);

/** The sender deleted a message for everyone: views keep a tombstone in its place. */
const MessageDeletedV = t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  messageId: t.string,
  messageSeq: t.number,
  deletedBy: t.string,
  forEveryone: t.literal(true),
  at: EpochMs,
});
export const MessageDeleted = defineEvent(
  'MessageDeleted',
  CONVERSATION_EVENTS_VERSION,
  MessageDeletedV,
  canonicalId(MessageDeletedV, participantsPair),
);

/** A participant deleted a message for themselves only: hidden from that user's views. */
const MessageHiddenForUserV = t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  messageId: t.string,
  messageSeq: t.number,
  userId: t.string,
  at: EpochMs,
});
export const MessageHiddenForUser = defineEvent(
  'MessageHiddenForUser',
  CONVERSATION_EVENTS_VERSION,
  MessageHiddenForUserV,
  canonicalId(MessageHiddenForUserV, participantsPair),
);

/** A participant cleared the history for themselves: every message up to `uptoSeq` (a stream sequence). */
const ChatClearedV = t.type({
  conversationId: t.string,
  participants: t.array(t.string),
  userId: t.string,
  uptoSeq: t.number,
  at: EpochMs,
});
export const ChatCleared = defineEvent(
  'ChatCleared',
  CONVERSATION_EVENTS_VERSION,
  ChatClearedV,
  canonicalId(ChatClearedV, participantsPair),
);

export const messageEvents = [
  ConversationStarted,
  MessageSent,
  MessagesRead,
  MessageDeleted,
  MessageHiddenForUser,
  ChatCleared,
] as const;
