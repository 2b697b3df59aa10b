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

export const messageEvents = [ConversationStarted, MessageSent] as const;
