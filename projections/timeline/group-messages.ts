/**
 * Group messages in the timeline view: partition = group id, position = stream
 * sequence, in the same row layout as 1:1 messages (schema.ts), so paging,
 * tombstones and per-viewer visibility are shared. A group row has no
 * recipient (every member is one) and no X3DH prekey: those fields are ''.
 */
import type { GroupMessageSent } from '../../streams/events/groups.ts';
import type { EventDefinition } from '../../streams/events/registry.ts';
import type { TimelineRow } from '../../stores/timeline/port.ts';
import { messageRecord, type MessageRecord } from './schema.ts';

type GroupMessageData = typeof GroupMessageSent extends EventDefinition<string, infer A> ? A : never;

/** The stored form of a GroupMessageSent committed at `seq` (also what live delivery hands devices). */
export function groupMessageRecord(d: GroupMessageData, seq: number): MessageRecord {
  return {
    messageId: d.messageId,
    conversationId: d.groupId,
    senderUserId: d.senderUserId,
    senderDeviceId: d.senderDeviceId,
    recipientUserId: '',
    recipientDeviceId: '',
    encryptedContent: d.encryptedContent,
    messageType: d.messageType,
    clientMessageId: d.clientMessageId,
    clientTimestamp: d.clientTimestamp,
    mediaId: d.mediaId,
    x3dhPrekey: '',
    at: d.at,
    seq,
    deleted: false,
  };
}

/** The timeline row of a GroupMessageSent committed at `seq`. */
export function groupMessageRow(d: GroupMessageData, seq: number): TimelineRow {
  const record = groupMessageRecord(d, seq);
  return { partition: d.groupId, position: seq, time: d.at, value: messageRecord.encode(record) };
}
