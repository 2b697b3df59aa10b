/**
 * Builds the conversations view and the message-id index from the MESSAGES
 * stream. Unread counts are exact: a message counts for its recipient while it
 * is not read, not deleted for everyone, not hidden by the recipient and not
 * cleared by the recipient, and each of those transitions lowers the count once
 * (a repeated receipt or deletion changes nothing).
 */
import type { ConversationEvent } from '../../commands/conversation/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import {
  conversationRecord,
  conversationsKeys as keys,
  memberRecord,
  messageIndexRecord,
  type MemberRecord,
  type MessageIndexRecord,
} from './schema.ts';

async function readMember(tx: KvTx, userId: string, conversationId: string): Promise<MemberRecord | undefined> {
  return tx.getRecord(keys.member(userId, conversationId), memberRecord);
}

function writeMember(tx: KvTx, userId: string, member: MemberRecord): void {
  tx.putRecord(keys.member(userId, member.conversationId), memberRecord, member);
}

async function touchMember(
  tx: KvTx,
  userId: string,
  peerUserId: string,
  conversationId: string,
  seq: number,
  at: number,
  unreadDelta: number,
): Promise<void> {
  const k = keys.member(userId, conversationId);
  const member = (await tx.getRecord(k, memberRecord)) ?? {
    conversationId,
    peerUserId,
    updatedAt: at,
    lastSeq: 0,
    unread: 0,
    visible: 0,
    clearedUpto: 0,
  };
  if (member.lastSeq > 0) tx.delete(keys.recent(userId, member.lastSeq, conversationId));
  tx.putRecord(k, memberRecord, {
    ...member,
    updatedAt: at,
    lastSeq: seq,
    unread: member.unread + unreadDelta,
    visible: (member.visible ?? 0) + 1,
    clearedUpto: member.clearedUpto ?? 0,
  });
  tx.put(keys.recent(userId, seq, conversationId), PRESENT);
}

async function readMessage(
  tx: KvTx,
  messageId: string,
  conversationId: string,
): Promise<MessageIndexRecord | undefined> {
  const record = await tx.getRecord(keys.message(messageId), messageIndexRecord);
  return record?.conversationId === conversationId ? record : undefined;
}

/** The recipient of an indexed message (records written before `recipientUserId` existed: the other participant). */
function recipientOf(record: MessageIndexRecord, participants: readonly string[]): string {
  return record.recipientUserId ?? participants.find((p) => p !== record.senderUserId) ?? record.senderUserId;
}

/** Whether the message counts in `userId`'s unread count. */
function countsAsUnread(
  record: MessageIndexRecord,
  recipient: string,
  userId: string,
  member: MemberRecord | undefined,
): boolean {
  return (
    member !== undefined &&
    recipient === userId &&
    record.senderUserId !== userId &&
    record.readAt === undefined &&
    record.deleted !== true &&
    !(record.hiddenFor ?? []).includes(userId) &&
    record.seq > (member.clearedUpto ?? 0)
  );
}

const lower = (n: number) => Math.max(0, n - 1);

export function conversationsProjection(kv: KvStore): Projection<KvTx> {
  return defineProjection<ConversationEvent, KvTx>({
    name: 'conversations',
    stream: STREAMS.messages,
    target: new KvProjectionTarget(kv, keys.prefixes),
    on: {
      ConversationStarted: async ({ data: d }, commit, tx) => {
        tx.putRecord(keys.conversation(d.conversationId), conversationRecord, {
          conversationId: d.conversationId,
          participants: d.participants,
          createdAt: d.at,
          updatedAt: d.at,
          lastSeq: commit.seq,
          lastMessageId: '',
          messageCount: 0,
        });
      },
      MessageSent: async ({ data: d }, commit, tx) => {
        const convKey = keys.conversation(d.conversationId);
        const conv = await tx.getRecord(convKey, conversationRecord);
        if (!conv) throw new Error(`message ${d.messageId} in unknown conversation ${d.conversationId}`);
        tx.putRecord(convKey, conversationRecord, {
          ...conv,
          updatedAt: d.at,
          lastSeq: commit.seq,
          lastMessageId: d.messageId,
          messageCount: conv.messageCount + 1,
        });
        tx.putRecord(keys.message(d.messageId), messageIndexRecord, {
          conversationId: d.conversationId,
          seq: commit.seq,
          at: d.at,
          senderUserId: d.senderUserId,
          recipientUserId: d.recipientUserId,
        });
        await touchMember(tx, d.senderUserId, d.recipientUserId, d.conversationId, commit.seq, d.at, 0);
        if (d.recipientUserId !== d.senderUserId) {
          await touchMember(tx, d.recipientUserId, d.senderUserId, d.conversationId, commit.seq, d.at, 1);
        }
      },
      MessagesRead: async ({ data: d }, commit, tx) => {
        const reader = await readMember(tx, d.readerUserId, d.conversationId);
        let unread = reader?.unread ?? 0;
        for (const messageId of d.messageIds) {
          const record = await readMessage(tx, messageId, d.conversationId);
          if (!record || record.readAt !== undefined) continue;
          const recipient = recipientOf(record, d.participants);
          if (recipient !== d.readerUserId) continue;
          if (countsAsUnread(record, recipient, d.readerUserId, reader)) unread = lower(unread);
          tx.putRecord(keys.message(messageId), messageIndexRecord, { ...record, readAt: d.at });
        }
        if (reader && unread !== reader.unread) writeMember(tx, d.readerUserId, { ...reader, unread });
      },
      MessageDeleted: async ({ data: d }, commit, tx) => {
        const record = await readMessage(tx, d.messageId, d.conversationId);
        if (!record || record.deleted === true) return;
        const recipient = recipientOf(record, d.participants);
        const member = await readMember(tx, recipient, d.conversationId);
        if (member && countsAsUnread(record, recipient, recipient, member))
          writeMember(tx, recipient, { ...member, unread: lower(member.unread) });
        // A tombstone stays visible in place, so `visible` does not change.
        tx.putRecord(keys.message(d.messageId), messageIndexRecord, { ...record, deleted: true });
      },
      MessageHiddenForUser: async ({ data: d }, commit, tx) => {
        const record = await readMessage(tx, d.messageId, d.conversationId);
        if (!record || (record.hiddenFor ?? []).includes(d.userId)) return;
        const member = await readMember(tx, d.userId, d.conversationId);
        if (member) {
          const recipient = recipientOf(record, d.participants);
          const unread = countsAsUnread(record, recipient, d.userId, member) ? lower(member.unread) : member.unread;
          const stillVisible = record.seq > (member.clearedUpto ?? 0);
          const visible = stillVisible && member.visible !== undefined ? lower(member.visible) : member.visible;
          writeMember(tx, d.userId, { ...member, unread, ...(visible === undefined ? {} : { visible }) });
        }
        tx.putRecord(keys.message(d.messageId), messageIndexRecord, {
          ...record,
          hiddenFor: [...(record.hiddenFor ?? []), d.userId],
        });
      },
      ChatCleared: async ({ data: d }, commit, tx) => {
        const member = await readMember(tx, d.userId, d.conversationId);
        if (!member || d.uptoSeq <= (member.clearedUpto ?? 0)) return;
        // The decider commits a clear only when no message came after `uptoSeq`, so it
        // covers every message the member has: nothing stays visible or unread.
        const coversAll = member.lastSeq <= d.uptoSeq;
        writeMember(tx, d.userId, {
          ...member,
          clearedUpto: d.uptoSeq,
          ...(coversAll ? { unread: 0, visible: 0 } : {}),
        });
      },
    },
  });
}
