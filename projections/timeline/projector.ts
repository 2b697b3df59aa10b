/** Builds the timeline view from the MESSAGES stream. */
import type { ConversationEvent } from '../../commands/conversation/decider.ts';
import type { GroupEvent } from '../../commands/group/decider.ts';
import type { EventLog } from '../../streams/log.ts';
import { subjectsOf } from '../../streams/reader.ts';
import { CONVERSATION_SUBJECT_PREFIX, GROUP_SUBJECT_PREFIX, STREAMS } from '../../streams/subjects.ts';
import type { TimelineStore } from '../../stores/timeline/port.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { TimelineProjectionTarget, type TimelineTx } from '../runtime/timeline-target.ts';
import { messageRecord, tombstoneOf, type MessageRecord } from './schema.ts';
import { groupMessageRow } from './group-messages.ts';

/** Every conversation and group partition the stream knows (for a rebuild's reset). */
async function conversationPartitions(log: EventLog): Promise<string[]> {
  const partitions: string[] = [];
  for (const prefix of [CONVERSATION_SUBJECT_PREFIX, GROUP_SUBJECT_PREFIX]) {
    partitions.push(...(await subjectsOf(log, STREAMS.messages, `${prefix}*`)).map((s) => s.slice(prefix.length)));
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
async function rewriteRow(
  tx: TimelineTx,
  partition: string,
  position: number,
  messageId: string,
  change: (m: MessageRecord) => MessageRecord | undefined,
): Promise<void> {
  const row = await tx.get(partition, position);
  if (!row) return;
  const record = messageRecord.decode(row.value);
  if (record.messageId !== messageId) return;
  const next = change(record);
  if (next) tx.put({ ...row, value: messageRecord.encode(next) });
}

export function timelineProjection(store: TimelineStore, log: EventLog): Projection<TimelineTx> {
  return defineProjection<ConversationEvent | GroupEvent, TimelineTx>({
    name: 'timeline',
    stream: STREAMS.messages,
    target: new TimelineProjectionTarget(store, () => conversationPartitions(log)),
    on: {
      MessageSent: ({ data: d }, commit, tx) => {
        tx.put({
          partition: d.conversationId,
          position: commit.seq,
          time: d.at,
          value: messageRecord.encode({ ...d, seq: commit.seq, deleted: false }),
        });
      },
      MessageDeleted: ({ data: d }, _commit, tx) =>
        rewriteRow(tx, d.conversationId, d.messageSeq, d.messageId, tombstone),
      MessageHiddenForUser: ({ data: d }, _commit, tx) =>
        rewriteRow(tx, d.conversationId, d.messageSeq, d.messageId, (m) => hideFor(m, d.userId)),
      GroupMessageSent: ({ data }, commit, tx) => tx.put(groupMessageRow(data, commit.seq)),
      GroupMessageDeleted: ({ data: d }, _commit, tx) =>
        rewriteRow(tx, d.groupId, d.messageSeq, d.messageId, tombstone),
      GroupMessageHidden: ({ data: d }, _commit, tx) =>
        rewriteRow(tx, d.groupId, d.messageSeq, d.messageId, (m) => hideFor(m, d.userId)),
    },
  });
}
