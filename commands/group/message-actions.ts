/**
 * DeleteMessage and MarkAsRead on group messages: one commit on the group's
 * subject, decided by `groupDecider` on the aggregate (membership, roles)
 * with the facts of the messages and of the acting member from the groups
 * view, read once that view has applied the group's last commit.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { EventLog } from '../../streams/log.ts';
import { newId } from '../../runtime/ids.ts';
import {
  groupDecider,
  type GroupCommand,
  type GroupMessageFacts,
  type GroupState,
  type MemberFacts,
} from './decider.ts';
import type { Loaded } from '../handler/aggregate-cache.ts';
import type { CommandHandler } from '../handler/handler.ts';
import type { Caller, GroupCommitted } from './actions.ts';
import { notInConversation } from '../conversation/actions.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import type { RequestMeta } from '../request-meta.ts';
import type { ViewProgress } from '../view-progress.ts';
import type { GroupReads, IndexedGroupMessage } from './reads.ts';

export interface GroupMessageActionDeps {
  readonly handler: CommandHandler;
  readonly log: EventLog;
  readonly groups: GroupReads;
  /** Progress of the groups view (the facts come from it); undefined: no waiting. */
  readonly groupsProgress: ViewProgress | undefined;
  /** How long a command waits for the view to catch up before deciding on its facts. */
  readonly factsWaitMs: number;
}

/**
 * The group messages among `messageIds` (the others are not group messages,
 * or not indexed yet: with `wait`, on a miss the lookup waits, bounded, for
 * the view to reach the stream's end and looks again).
 */
export async function groupMessagesAmong(
  deps: GroupMessageActionDeps,
  messageIds: readonly string[],
  wait: boolean,
): Promise<Map<string, IndexedGroupMessage>> {
  const found = new Map<string, IndexedGroupMessage>();
  const read = async (ids: readonly string[]) => {
    const records = await Promise.all(ids.map((id) => deps.groups.messageById(id)));
    records.forEach((r, i) => r && found.set(ids[i]!, r));
  };
  await read(messageIds);
  const missing = messageIds.filter((id) => !found.has(id));
  const progress = deps.groupsProgress;
  if (wait && missing.length > 0 && progress !== undefined) {
    // Read again even when the view caught up before the check: it may have done so after the first read.
    const last = await deps.log.lastSeq(STREAMS.messages);
    await progress.waitFor(last, deps.factsWaitMs);
    await read(missing);
  }
  return found;
}

const notFound = (field: string) => domainError('NOT_FOUND', 'message not found', field);

/** The aggregate and the facts of `userId` as a member, once the view has applied the aggregate's last commit. */
async function prepare(
  deps: GroupMessageActionDeps,
  groupId: string,
  userId: string,
): Promise<{ loaded: Loaded<GroupState>; member: MemberFacts | undefined }> {
  const loaded = await deps.handler.load(STREAMS.messages, subjects.group(groupId), groupDecider);
  if (loaded.seq > 0) await deps.groupsProgress?.waitFor(loaded.seq, deps.factsWaitMs);
  const record = await deps.groups.member(groupId, userId);
  return {
    loaded,
    member: record === undefined ? undefined : { joinSeq: record.joinSeq, readUpTo: record.readUpTo ?? 0 },
  };
}

async function factsOf(
  deps: GroupMessageActionDeps,
  messageId: string,
  earlier: IndexedGroupMessage,
): Promise<GroupMessageFacts> {
  const r = (await deps.groups.messageById(messageId)) ?? earlier;
  return {
    messageId,
    seq: r.seq,
    senderUserId: r.senderUserId,
    at: r.at,
    deleted: r.deleted === true,
    hiddenFor: r.hiddenFor ?? [],
  };
}

function commit(
  deps: GroupMessageActionDeps,
  command: GroupCommand & { readonly groupId: string; readonly at: number },
  name: string,
  caller: Caller,
  meta: RequestMeta,
) {
  return deps.handler.handle({
    stream: STREAMS.messages,
    subject: subjects.group(command.groupId),
    decider: groupDecider,
    command,
    meta: {
      commandId: newId(),
      command: name,
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      actor: { userId: caller.userId, deviceId: caller.deviceId },
      at: command.at,
    },
  });
}

/** A member who is no longer one (or never was) is refused by the decider; this stands in for the member facts then. */
const NO_MEMBER: MemberFacts = { joinSeq: Number.MAX_SAFE_INTEGER, readUpTo: 0 };

export interface DeleteGroupMessageInput {
  readonly messageId: string;
  readonly record: IndexedGroupMessage;
  /** When given, the message must belong to it. */
  readonly groupId: string | undefined;
  readonly forEveryone: boolean;
  readonly windowMs: number;
}

/** DeleteMessage on a group message: for everyone (sender, within the window) or hidden for the caller. */
export async function deleteGroupMessage(
  deps: GroupMessageActionDeps,
  caller: Caller,
  input: DeleteGroupMessageInput,
  meta: RequestMeta,
): Promise<Either<DomainError, GroupCommitted>> {
  const groupId = input.record.groupId;
  const { member } = await prepare(deps, groupId, caller.userId);
  if (input.groupId !== undefined && input.groupId !== groupId) {
    // A member who can see the message named another group: that field is what is wrong; anyone else learns nothing.
    return left(
      member !== undefined && input.record.seq >= member.joinSeq
        ? notInConversation('conversation_id')
        : notFound('message_id'),
    );
  }
  const at = Date.now();
  const result = await commit(
    deps,
    {
      kind: 'DeleteGroupMessage',
      groupId,
      userId: caller.userId,
      member: member ?? NO_MEMBER,
      message: await factsOf(deps, input.messageId, input.record),
      forEveryone: input.forEveryone,
      windowMs: input.windowMs,
      at,
    },
    'DeleteMessage',
    caller,
    meta,
  );
  if (isLeft(result)) return result;
  return right({ at, stream: result.right.stream, seq: result.right.seq });
}

/**
 * MarkAsRead on group messages (`records`: the group messages among the named
 * ids): one read receipt per group; every group is decided before any commits.
 */
export async function markGroupMessagesRead(
  deps: GroupMessageActionDeps,
  caller: Caller,
  records: ReadonlyMap<string, IndexedGroupMessage>,
  meta: RequestMeta,
): Promise<Either<DomainError, GroupCommitted & { readonly marked: number }>> {
  const byGroup = new Map<string, string[]>();
  for (const [id, r] of records) byGroup.set(r.groupId, [...(byGroup.get(r.groupId) ?? []), id]);
  const at = Date.now();
  const commands = [];
  for (const [groupId, ids] of byGroup) {
    const { loaded, member } = await prepare(deps, groupId, caller.userId);
    const messages = await Promise.all(ids.map((id) => factsOf(deps, id, records.get(id)!)));
    const command = {
      kind: 'MarkGroupMessagesRead' as const,
      groupId,
      readerUserId: caller.userId,
      readerDeviceId: caller.deviceId,
      member: member ?? NO_MEMBER,
      messages,
      at,
    };
    const dry = groupDecider.decide(command, loaded.state);
    if (isLeft(dry)) return dry;
    commands.push(command);
  }
  let marked = 0;
  let seq = 0;
  for (const command of commands) {
    const result = await commit(deps, command, 'MarkAsRead', caller, meta);
    if (isLeft(result)) return result;
    for (const e of result.right.events) if (e.type === 'GroupMessagesRead') marked += e.data.messageIds.length;
    seq = Math.max(seq, result.right.seq);
  }
  return right({ marked, at, stream: STREAMS.messages, seq });
}
