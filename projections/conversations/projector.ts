/** Builds the conversations view and the message-id index from the MESSAGES stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { ConversationEvent } from '../../commands/conversation.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../kv-target.ts';
import type { Projection } from '../projection.ts';
import { conversationRecord, conversationsKeys as keys, memberRecord, messageIndexRecord } from './schema.ts';

async function touchMember(tx: KvTx, userId: string, peerUserId: string, conversationId: string, seq: number, at: number, unreadDelta: number): Promise<void> {
  const raw = await tx.get(keys.member(userId, conversationId));
  const member = raw ? memberRecord.decode(raw) : { conversationId, peerUserId, updatedAt: at, lastSeq: 0, unread: 0 };
  if (member.lastSeq > 0) tx.delete(keys.recent(userId, member.lastSeq, conversationId));
  tx.put(keys.member(userId, conversationId), memberRecord.encode({ ...member, updatedAt: at, lastSeq: seq, unread: member.unread + unreadDelta }));
  tx.put(keys.recent(userId, seq, conversationId), PRESENT);
}

export function conversationsProjection(kv: KvStore): Projection<KvTx> {
  return {
    name: 'conversations',
    stream: STREAMS.messages,
    filterSubject: 'messages.>',
    target: new KvProjectionTarget(kv, keys.prefixes),
    async project(commit: StoredCommit, tx: KvTx) {
      for (const event of commit.events as readonly ConversationEvent[]) {
        switch (event.type) {
          case 'ConversationStarted': {
            const d = event.data;
            tx.put(keys.conversation(d.conversationId), conversationRecord.encode({
              conversationId: d.conversationId, participants: d.participants, createdAt: d.at, updatedAt: d.at, lastSeq: commit.seq, lastMessageId: '', messageCount: 0,
            }));
            break;
          }
          case 'MessageSent': {
            const d = event.data;
            const raw = await tx.get(keys.conversation(d.conversationId));
            if (!raw) throw new Error(`message ${d.messageId} in unknown conversation ${d.conversationId}`);
            const conv = conversationRecord.decode(raw);
            tx.put(keys.conversation(d.conversationId), conversationRecord.encode({
              ...conv, updatedAt: d.at, lastSeq: commit.seq, lastMessageId: d.messageId, messageCount: conv.messageCount + 1,
            }));
            tx.put(keys.message(d.messageId), messageIndexRecord.encode({ conversationId: d.conversationId, seq: commit.seq, at: d.at, senderUserId: d.senderUserId }));
            await touchMember(tx, d.senderUserId, d.recipientUserId, d.conversationId, commit.seq, d.at, 0);
            if (d.recipientUserId !== d.senderUserId) {
              await touchMember(tx, d.recipientUserId, d.senderUserId, d.conversationId, commit.seq, d.at, 1);
            }
            break;
          }
          default:
            break;
        }
      }
    },
  };
}
