/**
 * GetConversations: the caller's 1:1 conversations, newest activity first (a
 * reverse scan of the recency index), each with the peer and its username,
 * the last message the caller sees (a tombstone when deleted for everyone;
 * none after a ClearChat until a new message), the exact unread count and the
 * time of the last activity. Waits (bounded) for `min_seq` like GetMessages.
 * It reads three views (conversations, timeline, users), so it sits beside the registry, above them.
 */
import { waitForMinSeq, type ProjectionProgress } from './query/progress.ts';
import type { TimelineView } from './timeline/queries.ts';
import type { MessageRecord } from './timeline/schema.ts';
import type { UsersView } from './users/queries.ts';
import type { ConversationsView } from './conversations/queries.ts';

export interface ConversationSummary {
  readonly conversationId: string;
  readonly peerUserId: string;
  /** '' when the peer is unknown to the users view (a deleted account). */
  readonly peerUsername: string;
  readonly lastMessage: MessageRecord | undefined;
  readonly unread: number;
  /** Time of the newest message, ms. */
  readonly updatedAt: number;
}

export interface GetConversationsDeps {
  readonly conversations: ConversationsView;
  readonly timeline: TimelineView;
  readonly users: UsersView;
  /** Progress of the conversations and timeline views. */
  readonly progress: readonly ProjectionProgress[];
  readonly minSeqWaitMs: number;
}

export interface GetConversationsInput {
  readonly callerUserId: string;
  readonly limit: number;
  readonly minSeq: number;
}

export interface GetConversationsResult {
  readonly conversations: ConversationSummary[];
  readonly stale: boolean;
}

export async function getConversations(
  deps: GetConversationsDeps,
  input: GetConversationsInput,
): Promise<GetConversationsResult> {
  const stale = await waitForMinSeq(deps.progress, input.minSeq, deps.minSeqWaitMs);
  const members = await deps.conversations.recentOf(input.callerUserId, input.limit);
  if (members.length === 0) return { conversations: [], stale };
  const [names, lasts] = await Promise.all([
    deps.users.usernamesOf([...new Set(members.map((m) => m.peerUserId))]),
    Promise.all(
      members.map((m) =>
        deps.timeline.visiblePage(
          m.conversationId,
          { userId: input.callerUserId, clearedUpto: m.clearedUpto ?? 0 },
          { limit: 1 },
        ),
      ),
    ),
  ]);
  return {
    stale,
    conversations: members.map((m, i) => ({
      conversationId: m.conversationId,
      peerUserId: m.peerUserId,
      peerUsername: names.get(m.peerUserId) ?? '',
      lastMessage: lasts[i]?.messages[0],
      unread: m.unread,
      updatedAt: m.updatedAt,
    })),
  };
}
