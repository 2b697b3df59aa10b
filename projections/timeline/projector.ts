/** Builds the timeline view from the MESSAGES stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { ConversationEvent } from '../../commands/conversation.ts';
import type { GroupEvent } from '../../commands/group.ts';
import type { EventLog } from '../../streams/log.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { TimelineStore } from '../../stores/timeline/port.ts';
import type { Projection } from '../projection.ts';
import { TimelineProjectionTarget, type TimelineTx } from '../timeline-target.ts';
import { messageRecord, tombstoneOf, type MessageRecord } from './schema.ts';
import { groupMessageRow } from './group-messages.ts';

const CONVERSATION_SUBJECT = 'messages.conv.';
const GROUP_SUBJECT = 'messages.group.';

/** Every conversation and group partition the stream knows (for a rebuild's reset). */
async function conversationPartitions(log: EventLog): Promise<string[]> {
  const partitions: string[] = [];
  for (const prefix of [CONVERSATION_SUBJECT, GROUP_SUBJECT]) {
    const info = await log.jsm.streams.info(STREAMS.messages, { subjects_filter: `${prefix}*` });
    partitions.push(...Object.keys(info.state.subjects ?? {}).map((s) => s.slice(prefix.length)));
  }
  return partitions;
}

/** A message deleted for everyone: the row stays in its place, without content. */
function tombstone(m: MessageRecord): MessageRecord | undefined {
  return m.deleted ? undefined : tombstoneOf(m);
}

/** A message one user deleted for themselves: their reads skip it. */
function hideFor(m: MessageRecord, userId: string): MessageRecord | undefined {
  const hidden = m.hiddenFor ?? [];
  return hidden.includes(userId) ? undefined : { ...m, hiddenFor: [...hidden, userId] };
}

/** Rewrites the row of one message (a missing row, or one of another message, is left alone). */
async function rewriteRow(tx: TimelineTx, partition: string, position: number, messageId: string, change: (m: MessageRecord) => MessageRecord | undefined): Promise<void> {
  const row = await tx.get(partition, position);
  if (!row) return;
  const record = messageRecord.decode(row.value);
  if (record.messageId !== messageId) return;
  const next = change(record);
  if (next) tx.put({ ...row, value: messageRecord.encode(next) });
}

export function timelineProjection(store: TimelineStore, log: EventLog): Projection<TimelineTx> {
  return {
    name: 'timeline',
    stream: STREAMS.messages,
    filterSubject: 'messages.>',
    target: new TimelineProjectionTarget(store, () => conversationPartitions(log)),
    async project(commit: StoredCommit, tx: TimelineTx) {
      for (const event of commit.events as readonly (ConversationEvent | GroupEvent)[]) {
        switch (event.type) {
          case 'MessageSent': {
            const d = event.data;
            tx.put({
              partition: d.conversationId,
              position: commit.seq,
              time: d.at,
              value: messageRecord.encode({ ...d, seq: commit.seq, deleted: false }),
            });
            break;
          }
          case 'MessageDeleted':
            await rewriteRow(tx, event.data.conversationId, event.data.messageSeq, event.data.messageId, tombstone);
            break;
          case 'MessageHiddenForUser': {
            const { userId } = event.data;
            await rewriteRow(tx, event.data.conversationId, event.data.messageSeq, event.data.messageId, (m) => hideFor(m, userId));
            break;
          }
          case 'GroupMessageSent':
            tx.put(groupMessageRow(event.data, commit.seq));
            break;
          case 'GroupMessageDeleted':
            await rewriteRow(tx, event.data.groupId, event.data.messageSeq, event.data.messageId, tombstone);
            break;
          case 'GroupMessageHidden': {
            const { userId } = event.data;
            await rewriteRow(tx, event.data.groupId, event.data.messageSeq, event.data.messageId, (m) => hideFor(m, userId));
            break;
          }
          default:
            break;
        }
      }
    },
  };
}
