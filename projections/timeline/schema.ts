/**
 * The timeline view: the messages of a conversation, one row each, ordered by
 * stream sequence (newest first when paged). The row holds the ciphertext as
 * the client sent it.
 */
import * as t from 'io-ts';
import { Base64Bytes } from '../../streams/events/codecs.ts';
import { MessageTypeName } from '../../streams/events/messages.ts';
import { recordCodec } from '../view-codec.ts';

export const MessageRecord = t.type({
  messageId: t.string,
  conversationId: t.string,
  senderUserId: t.string,
  senderDeviceId: t.string,
  recipientUserId: t.string,
  recipientDeviceId: t.string,
  encryptedContent: Base64Bytes,
  messageType: MessageTypeName,
  clientMessageId: t.string,
  clientTimestamp: t.union([t.type({ seconds: t.number, nanos: t.number }), t.null]),
  mediaId: t.string,
  x3dhPrekey: t.string,
  at: t.number,
  seq: t.number,
  deleted: t.boolean,
});
export type MessageRecord = t.TypeOf<typeof MessageRecord>;

export const messageRecord = recordCodec('message', MessageRecord);
