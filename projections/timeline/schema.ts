/**
 * The timeline view: the messages of a conversation, one row each, ordered by
 * stream sequence (newest first when paged). The row holds the ciphertext as
 * the client sent it.
 */
import * as t from 'io-ts';
import { MessageSent } from '../../streams/events/messages.ts';
import { recordCodec } from '../view-codec.ts';

/** A MessageSent event as stored, with its stream sequence and whether it was deleted. */
export const MessageRecord = t.intersection([MessageSent.codec, t.type({ seq: t.number, deleted: t.boolean })]);
export type MessageRecord = t.TypeOf<typeof MessageRecord>;

export const messageRecord = recordCodec('message', MessageRecord);
