/**
 * MarkAsRead over both kinds of message (the contract names messages by id
 * only): group messages get a receipt on their group, the rest are 1:1
 * messages. A group id is found in the groups view at once; an id neither
 * view knows yet is looked up again in the groups view once it has caught up,
 * so a 1:1 receipt never waits for the groups view.
 */
import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS } from '../../streams/subjects.ts';
import { markAsRead, type ConversationActionDeps } from '../conversation/actions.ts';
import type { DomainError } from '../handler/decider.ts';
import { groupMessagesAmong, markGroupMessagesRead, type GroupMessageActionDeps } from './message-actions.ts';
import type { Caller } from './actions.ts';
import type { RequestMeta } from '../request-meta.ts';

export interface ReadReceiptDeps {
  readonly conversations: ConversationActionDeps;
  readonly groups: GroupMessageActionDeps;
}

export interface MessagesMarkedRead {
  /** Messages newly marked read. */
  readonly marked: number;
  readonly at: number;
  readonly stream: string;
  readonly seq: number;
}

export async function markMessagesRead(
  deps: ReadReceiptDeps,
  caller: Caller,
  messageIds: readonly string[],
  meta: RequestMeta,
): Promise<Either<DomainError, MessagesMarkedRead>> {
  const reader = { readerUserId: caller.userId, readerDeviceId: caller.deviceId };
  const inGroups = await groupMessagesAmong(deps.groups, messageIds, false);
  let direct = messageIds.filter((id) => !inGroups.has(id));
  let directResult =
    direct.length > 0 ? await markAsRead(deps.conversations, { ...reader, messageIds: direct }, meta) : undefined;
  if (directResult !== undefined && isLeft(directResult) && directResult.left.code === 'NOT_FOUND') {
    const late = await groupMessagesAmong(deps.groups, direct, true);
    if (late.size > 0) {
      for (const [id, r] of late) inGroups.set(id, r);
      direct = direct.filter((id) => !late.has(id));
      directResult =
        direct.length > 0 ? await markAsRead(deps.conversations, { ...reader, messageIds: direct }, meta) : undefined;
    }
  }
  if (directResult !== undefined && isLeft(directResult)) return directResult;
  let marked = directResult?.right.marked ?? 0;
  let seq = directResult?.right.seq ?? 0;
  let at = directResult?.right.at ?? Date.now();
  if (inGroups.size > 0) {
    const result = await markGroupMessagesRead(deps.groups, caller, inGroups, meta);
    if (isLeft(result)) return result;
    marked += result.right.marked;
    seq = Math.max(seq, result.right.seq);
    at = result.right.at;
  }
  return right({ marked, at, stream: STREAMS.messages, seq });
}
