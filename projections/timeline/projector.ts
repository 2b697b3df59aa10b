/** Builds the timeline view from the MESSAGES stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { ConversationEvent } from '../../commands/conversation.ts';
import type { EventLog } from '../../streams/log.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { TimelineStore } from '../../stores/timeline/port.ts';
import type { Projection } from '../projection.ts';
import { TimelineProjectionTarget, type TimelineTx } from '../timeline-target.ts';
import { messageRecord } from './schema.ts';

const CONVERSATION_SUBJECT = 'messages.conv.';

/** Every conversation partition the stream knows (for a rebuild's reset). */
async function conversationPartitions(log: EventLog): Promise<string[]> {
  const info = await log.jsm.streams.info(STREAMS.messages, { subjects_filter: `${CONVERSATION_SUBJECT}*` });
  return Object.keys(info.state.subjects ?? {}).map((s) => s.slice(CONVERSATION_SUBJECT.length));
}

export function timelineProjection(store: TimelineStore, log: EventLog): Projection<TimelineTx> {
  return {
    name: 'timeline',
    stream: STREAMS.messages,
    filterSubject: 'messages.>',
    target: new TimelineProjectionTarget(store, () => conversationPartitions(log)),
    project(commit: StoredCommit, tx: TimelineTx) {
      for (const event of commit.events as readonly ConversationEvent[]) {
        if (event.type !== 'MessageSent') continue;
        const d = event.data;
        tx.put({
          partition: d.conversationId,
          position: commit.seq,
          time: d.at,
          value: messageRecord.encode({ ...d, seq: commit.seq, deleted: false }),
        });
      }
    },
  };
}
