/**
 * The timeline view: the messages of a conversation, one row each, ordered by
 * stream sequence (newest first when paged). A row holds the ciphertext as the
 * client sent it, as raw bytes after a small JSON header:
 *
 *   [u32 big-endian header length][header JSON (every field but the content)][content bytes]
 *
 * so neither writing nor paging pays for base64 of the largest field.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { MessageSentProps } from '../../streams/events/messages.ts';
import { ViewRecordError, type RecordCodec } from '../runtime/view-codec.ts';

const { encryptedContent: _content, ...headerProps } = MessageSentProps;

/**
 * Everything of a message row but its content. A message deleted for everyone
 * is a tombstone (`deleted`, no content, no prekey, no media id) in its place;
 * `hiddenFor` lists the users who deleted it for themselves only (their reads
 * skip it).
 */
const MessageHeader = t.intersection([
  t.type({ ...headerProps, seq: t.number, deleted: t.boolean }),
  t.partial({ hiddenFor: t.array(t.string) }),
]);

/** A MessageSent event as stored, with its stream sequence and whether it was deleted. */
export type MessageRecord = t.TypeOf<typeof MessageHeader> & { readonly encryptedContent: Uint8Array };

/** A message deleted for everyone: its row without content, prekey or media id. */
export function tombstoneOf(m: MessageRecord): MessageRecord {
  return { ...m, deleted: true, encryptedContent: new Uint8Array(0), x3dhPrekey: '', mediaId: '' };
}

export const messageRecord: RecordCodec<MessageRecord> = {
  encode(record) {
    const { encryptedContent, ...header } = record;
    const json = Buffer.from(JSON.stringify(header));
    const out = Buffer.allocUnsafe(4 + json.length + encryptedContent.length);
    out.writeUInt32BE(json.length, 0);
    json.copy(out, 4);
    out.set(encryptedContent, 4 + json.length);
    return out;
  },
  decode(bytes) {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = buf.length >= 4 ? buf.readUInt32BE(0) : -1;
    if (length < 0 || 4 + length > buf.length) throw new ViewRecordError('a message record is truncated');
    let header: unknown;
    try {
      header = JSON.parse(buf.toString('utf8', 4, 4 + length));
    } catch {
      throw new ViewRecordError('a message record header is not JSON');
    }
    const decoded = MessageHeader.decode(header);
    if (isLeft(decoded)) throw new ViewRecordError('a message record does not match its schema');
    return { ...decoded.right, encryptedContent: buf.subarray(4 + length) };
  },
};
