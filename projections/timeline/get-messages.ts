/**
 * GetMessages: the messages of one conversation the caller belongs to, newest
 * first, by cursor (or legacy page number), honouring the time range, and
 * waiting (bounded) for `min_seq` so a client reads its own write.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { directConversationId } from '../../commands/conversation.ts';
import { domainError, type DomainError } from '../../commands/decider.ts';
import type { ConversationsView } from '../conversations/queries.ts';
import type { ProjectionProgress } from '../projection.ts';
import { cursor, type TimelineView } from './queries.ts';
import type { MessageRecord } from './schema.ts';

export interface GetMessagesInput {
  readonly callerUserId: string;
  /** One of peerUserId and conversationId is given. */
  readonly peerUserId: string;
  readonly conversationId: string;
  readonly limit: number;
  /** 1-based legacy page number; ignored when a cursor is given. */
  readonly page: number;
  readonly cursor: string;
  readonly fromTime: number | undefined;
  readonly toTime: number | undefined;
  readonly minSeq: number;
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

/** Deepest legacy page reachable by number (page × size); beyond it clients must use cursors. */
export const MAX_PAGE_DEPTH = 10_000;

const notFound = domainError('NOT_FOUND', 'conversation not found');

export async function getMessages(deps: GetMessagesDeps, input: GetMessagesInput): Promise<Either<DomainError, GetMessagesResult>> {
  let before: number | undefined;
  if (input.cursor) {
    before = cursor.decode(input.cursor);
    if (before === undefined) return left(domainError('INVALID_REQUEST', 'invalid request: cursor is not one this server issued', 'cursor'));
  } else if (input.page * input.limit > MAX_PAGE_DEPTH) {
    return left(domainError('INVALID_REQUEST', `invalid request: pages beyond ${MAX_PAGE_DEPTH} messages need the cursor`, 'pagination.page'));
  }
  const page = input.cursor ? 1 : Math.max(1, input.page);

  let stale = false;
  if (input.minSeq > 0) {
    const reached = await Promise.all(deps.progress.map((p) => p.waitFor(input.minSeq, deps.minSeqWaitMs)));
    stale = reached.some((ok) => !ok);
  }
  const conversationId = input.conversationId || directConversationId(input.callerUserId, input.peerUserId);
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
    limit: input.limit, skip: (page - 1) * input.limit, ...range(input), ...(before === undefined ? {} : { before }),
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

function range(input: GetMessagesInput): { fromTime?: number; toTime?: number } {
  return {
    ...(input.fromTime === undefined ? {} : { fromTime: input.fromTime }),
    ...(input.toTime === undefined ? {} : { toTime: input.toTime }),
  };
}
