/**
 * GetGroupMessages: the messages of a group the caller belongs to, newest
 * first by stream order, by cursor (or legacy page number), honouring the
 * time range and `min_seq`, as GetMessages does. A member sees the messages
 * committed after the commit that made them a member: history from before
 * they joined stays hidden, as in end-to-end encrypted groups (a member
 * removed and added again starts again from the new join).
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DomainError } from '../../commands/handler/decider.ts';
import { pagingOf, timeRange, type HistoryQuery } from '../timeline/paging.ts';
import { waitForMinSeq, type ProjectionProgress } from '../query/progress.ts';
import { cursor } from '../timeline/queries.ts';
import { groupNotFound, membershipOf, type GroupMessageView, type GroupReadDeps } from './get-groups.ts';

export interface GetGroupMessagesInput extends HistoryQuery {
  readonly callerUserId: string;
  readonly groupId: string;
}

export interface GetGroupMessagesResult {
  readonly messages: GroupMessageView[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly stale: boolean;
  /** Messages the caller may see in the group (those since joining). */
  readonly totalItems: number;
  readonly page: number;
}

export async function getGroupMessages(
  deps: GroupReadDeps,
  input: GetGroupMessagesInput,
): Promise<Either<DomainError, GetGroupMessagesResult>> {
  const paging = pagingOf(input);
  if (isLeft(paging)) return paging;
  const { before, page } = paging.right;
  const progress = [deps.timelineProgress, deps.groupsProgress].filter((p): p is ProjectionProgress => p !== undefined);
  const stale = await waitForMinSeq(progress, input.minSeq, deps.minSeqWaitMs);
  const found = await membershipOf(deps, input.groupId, input.callerUserId);
  if (found === undefined) return left(groupNotFound);
  const { group, member } = found;
  // Nothing at or before the join is read: the viewer's history starts after it.
  const result = await deps.timeline.visiblePage(
    group.groupId,
    { userId: input.callerUserId, clearedUpto: member.joinSeq },
    {
      limit: input.limit,
      skip: (page - 1) * input.limit,
      ...timeRange(input),
      ...(before === undefined ? {} : { before }),
    },
  );
  const senders = [...new Set(result.messages.map((m) => m.senderUserId))];
  const names = senders.length === 0 ? new Map<string, string>() : await deps.users.usernamesOf(senders);
  return right({
    messages: result.messages.map((m) => ({ ...m, senderUsername: names.get(m.senderUserId) ?? '' })),
    nextCursor: result.next === undefined ? '' : cursor.encode(result.next),
    hasMore: result.next !== undefined,
    stale,
    totalItems: Math.max(0, group.messageCount - member.messagesAtJoin),
    page,
  });
}
