/**
 * GetMessages: the messages of one conversation the caller belongs to, newest
 * first, by cursor (or legacy page number), honouring the time range, and
 * waiting (bounded) for `min_seq` so a client reads its own write.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { directConversationId } from '../../commands/conversation/decider.ts';
import { legacyDirectConversationId } from '../../runtime/ids.ts';
import { domainError, type DomainError } from '../../commands/handler/decider.ts';
import type { ConversationsView } from '../conversations/queries.ts';
import type { ProjectionProgress } from '../query/progress.ts';
import { cursor, type TimelineView } from './queries.ts';
import { pagingOf, timeRange, type HistoryQuery } from './paging.ts';
import { waitForMinSeq } from '../query/progress.ts';
import type { MessageRecord } from './schema.ts';

export interface GetMessagesInput extends HistoryQuery {
  readonly callerUserId: string;
  /** One of peerUserId and conversationId is given. */
  readonly peerUserId: string;
  readonly conversationId: string;
}

export interface GetMessagesResult {
  readonly conversationId: string;
  readonly messages: MessageRecord[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly stale: boolean;
  readonly totalItems: number;
  readonly page: number;
}

export interface GetMessagesDeps {
  readonly timeline: TimelineView;
  readonly conversations: ConversationsView;
  /** Progress of the timeline and conversations views. */
  readonly progress: readonly ProjectionProgress[];
  readonly minSeqWaitMs: number;
}

export { MAX_PAGE_DEPTH } from './paging.ts';

const notFound = domainError('NOT_FOUND', 'conversation not found');

export async function getMessages(
  deps: GetMessagesDeps,
  input: GetMessagesInput,
): Promise<Either<DomainError, GetMessagesResult>> {
  const paging = pagingOf(input);
  if (isLeft(paging)) return paging;
  const { before, page } = paging.right;
  const stale = await waitForMinSeq(deps.progress, input.minSeq, deps.minSeqWaitMs);
  // Also accepted: the pair's id from before the contract's rule, when the peer is named too.
  const formerId =
    input.conversationId !== '' &&
    input.peerUserId !== '' &&
    input.conversationId === legacyDirectConversationId(input.callerUserId, input.peerUserId);
  const conversationId =
    input.conversationId === '' || formerId
      ? directConversationId(input.callerUserId, input.peerUserId)
      : input.conversationId;
  const { conversation, member } = await deps.conversations.conversationOf(input.callerUserId, conversationId);
  if (!conversation) {
    // A conversation with no message yet, between the caller and a peer, is simply empty.
    const empty = { conversationId, messages: [], nextCursor: '', hasMore: false, stale, totalItems: 0, page };
    return input.conversationId ? left(notFound) : right(empty);
  }
  if (!conversation.participants.includes(input.callerUserId)) return left(notFound);

  // What the caller sees: not what it hid, nothing it cleared; tombstones in place.
  // A legacy page number passes over (page - 1) pages of `limit` visible rows from the newest.
  const viewer = { userId: input.callerUserId, clearedUpto: member?.clearedUpto ?? 0 };
  const result = await deps.timeline.visiblePage(conversationId, viewer, {
    limit: input.limit,
    skip: (page - 1) * input.limit,
    ...timeRange(input),
    ...(before === undefined ? {} : { before }),
  });
  return right({
    conversationId,
    messages: result.messages,
    nextCursor: result.next === undefined ? '' : cursor.encode(result.next),
    hasMore: result.next !== undefined,
    stale,
    totalItems: member?.visible ?? conversation.messageCount,
    page,
  });
}
