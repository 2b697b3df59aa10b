/**
 * The group use cases: CreateGroup, AddGroupMember, RemoveGroupMember,
 * LeaveGroup and SendGroupMessage. Each is one commit on the group's subject,
 * decided by `groupDecider` on the aggregate (never on a view), so membership
 * and roles are checked against the group's latest state under optimistic
 * concurrency.
 *
 * SendGroupMessage is idempotent on `client_message_id` like SendMessage: the
 * message id is derived from (group, sender, client_message_id) and is also
 * the command id, so JetStream drops a resend within its duplicate window and
 * the groups view's message index answers after it.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { derivedId, newId } from '../../runtime/ids.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import { groupDecider, type GroupCommand, type GroupEvent, type GroupMessagePayload } from './decider.ts';
import type { CommandHandler, CommandResult } from '../handler/handler.ts';
import type { RequestMeta } from '../request-meta.ts';
import type { GroupMessageIndex } from './reads.ts';
import type { UserDirectory } from '../account/user-directory.ts';

export interface GroupActionDeps {
  readonly handler: CommandHandler;
  readonly directory: UserDirectory;
  /** The groups view, for the message-id index of idempotent resends. */
  readonly groups: GroupMessageIndex;
  /** Most members of a group, the owner included. */
  readonly maxGroupSize: number;
}

/** The caller: a user on one of its devices. */
export interface Caller {
  readonly userId: string;
  readonly deviceId: string;
}

/** Where a change was committed, and when. */
export interface GroupCommitted {
  readonly at: number;
  readonly stream: string;
  /** Sequence of the commit (or of the group's last commit when nothing changed). */
  readonly seq: number;
}

export interface CreateGroupInput {
  readonly name: string;
  /** The members besides the caller, as the request lists them. */
  readonly memberUserIds: readonly string[];
  readonly mlsGroupState: Uint8Array;
}

export interface GroupCreatedResult extends GroupCommitted {
  readonly groupId: string;
}

export interface AddGroupMemberInput {
  readonly groupId: string;
  readonly userId: string;
  /** '' for every device of the user. */
  readonly deviceId: string;
  readonly role: 'admin' | 'member';
  readonly mlsGroupState: Uint8Array;
}

export interface RemoveGroupMemberInput {
  readonly groupId: string;
  readonly userId: string;
  readonly mlsGroupState: Uint8Array;
}

export interface SendGroupMessageInput extends GroupMessagePayload {
  readonly groupId: string;
}

export interface GroupMessageSentResult extends GroupCommitted {
  readonly messageId: string;
  readonly groupId: string;
  /** A resend: the answer is the first message's. */
  readonly duplicate: boolean;
}

/** How many user lookups CreateGroup runs at once. */
const LOOKUP_CONCURRENCY = 32;

function commit(
  deps: GroupActionDeps,
  command: GroupCommand & { readonly groupId: string; readonly at: number },
  name: string,
  caller: Caller,
  meta: RequestMeta,
  commandId = newId(),
): Promise<Either<DomainError, CommandResult<GroupEvent>>> {
  return deps.handler.handle({
    stream: STREAMS.messages,
    subject: subjects.group(command.groupId),
    decider: groupDecider,
    command,
    meta: {
      commandId,
      command: name,
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      // Only the ids: the caller may be a token's whole claims.
      actor: { userId: caller.userId, deviceId: caller.deviceId },
      at: command.at,
    },
  });
}

/** The index (in `userIds`) of the first user that is not registered, or -1. */
async function firstUnknown(directory: UserDirectory, userIds: readonly string[]): Promise<number> {
  for (let i = 0; i < userIds.length; i += LOOKUP_CONCURRENCY) {
    const chunk = userIds.slice(i, i + LOOKUP_CONCURRENCY);
    const found = await Promise.all(chunk.map((id) => directory.exists(id)));
    const missing = found.indexOf(false);
    if (missing >= 0) return i + missing;
  }
  return -1;
}

/**
 * CreateGroup: the caller owns the new group; the listed users (repeats and
 * the caller dropped) join as members. Every one must be registered
 * (NOT_FOUND naming `member_user_ids[i]`), and the group may not exceed the
 * size limit (INVALID_REQUEST, `member_user_ids`).
 */
export async function createGroup(
  deps: GroupActionDeps,
  caller: Caller,
  input: CreateGroupInput,
  meta: RequestMeta,
): Promise<Either<DomainError, GroupCreatedResult>> {
  const others = [...new Set(input.memberUserIds)].filter((id) => id !== caller.userId);
  if (others.length + 1 > deps.maxGroupSize) {
    return left(
      domainError(
        'INVALID_REQUEST',
        `invalid request: a group has at most ${deps.maxGroupSize} members, the creator included`,
        'member_user_ids',
      ),
    );
  }
  const unknown = await firstUnknown(deps.directory, input.memberUserIds);
  if (unknown >= 0) return left(domainError('NOT_FOUND', 'user not found', `member_user_ids[${unknown}]`));
  const groupId = newId();
  const at = Date.now();
  const result = await commit(
    deps,
    {
      kind: 'CreateGroup',
      groupId,
      name: input.name,
      ownerUserId: caller.userId,
      memberUserIds: others,
      mlsGroupState: input.mlsGroupState,
      maxMembers: deps.maxGroupSize,
      at,
    },
    'CreateGroup',
    caller,
    meta,
  );
  if (isLeft(result)) return result;
  return right({ groupId, at, stream: result.right.stream, seq: result.right.seq });
}

/** AddGroupMember: by the owner or an admin (an admin only as 'member'); `added` is false when the user already belonged. */
export async function addGroupMember(
  deps: GroupActionDeps,
  caller: Caller,
  input: AddGroupMemberInput,
  meta: RequestMeta,
): Promise<Either<DomainError, GroupCommitted & { readonly added: boolean }>> {
  const userExists = await deps.directory.exists(input.userId);
  const at = Date.now();
  const result = await commit(
    deps,
    {
      kind: 'AddGroupMember',
      groupId: input.groupId,
      actorUserId: caller.userId,
      userId: input.userId,
      deviceId: input.deviceId,
      role: input.role,
      userExists,
      mlsGroupState: input.mlsGroupState,
      maxMembers: deps.maxGroupSize,
      at,
    },
    'AddGroupMember',
    caller,
    meta,
  );
  if (isLeft(result)) return result;
  return right({ added: result.right.events.length > 0, at, stream: result.right.stream, seq: result.right.seq });
}

/** RemoveGroupMember: by the owner or an admin; nobody removes the owner. */
export async function removeGroupMember(
  deps: GroupActionDeps,
  caller: Caller,
  input: RemoveGroupMemberInput,
  meta: RequestMeta,
): Promise<Either<DomainError, GroupCommitted>> {
  const at = Date.now();
  const result = await commit(
    deps,
    {
      kind: 'RemoveGroupMember',
      groupId: input.groupId,
      actorUserId: caller.userId,
      userId: input.userId,
      mlsGroupState: input.mlsGroupState,
      at,
    },
    'RemoveGroupMember',
    caller,
    meta,
  );
  if (isLeft(result)) return result;
  return right({ at, stream: result.right.stream, seq: result.right.seq });
}

/** LeaveGroup: the owner's leaving hands ownership on (see groupDecider). */
export async function leaveGroup(
  deps: GroupActionDeps,
  caller: Caller,
  groupId: string,
  meta: RequestMeta,
): Promise<Either<DomainError, GroupCommitted & { readonly newOwnerUserId: string | undefined }>> {
  const at = Date.now();
  const result = await commit(
    deps,
    { kind: 'LeaveGroup', groupId, userId: caller.userId, at },
    'LeaveGroup',
    caller,
    meta,
  );
  if (isLeft(result)) return result;
  const leftEvent = result.right.events.find((e) => e.type === 'GroupMemberLeft');
  const newOwnerUserId = leftEvent?.type === 'GroupMemberLeft' ? leftEvent.data.newOwnerUserId : undefined;
  return right({ newOwnerUserId, at, stream: result.right.stream, seq: result.right.seq });
}

/** The id of a group message with a client_message_id: the same for every resend by the same user to the same group. */
export const groupMessageId = (groupId: string, senderUserId: string, clientMessageId: string): string =>
  derivedId('group-message', groupId, senderUserId, clientMessageId);

/** SendGroupMessage: members only; idempotent on client_message_id. */
export async function sendGroupMessage(
  deps: GroupActionDeps,
  caller: Caller,
  input: SendGroupMessageInput,
  meta: RequestMeta,
): Promise<Either<DomainError, GroupMessageSentResult>> {
  const messageId = input.clientMessageId
    ? groupMessageId(input.groupId, caller.userId, input.clientMessageId)
    : newId();
  if (input.clientMessageId) {
    const earlier = await deps.groups.messageById(messageId);
    if (earlier)
      return right({
        messageId,
        groupId: earlier.groupId,
        at: earlier.at,
        stream: STREAMS.messages,
        seq: earlier.seq,
        duplicate: true,
      });
  }
  const at = Date.now();
  const result = await commit(
    deps,
    {
      kind: 'SendGroupMessage',
      groupId: input.groupId,
      messageId,
      senderUserId: caller.userId,
      senderDeviceId: caller.deviceId,
      encryptedContent: input.encryptedContent,
      messageType: input.messageType,
      clientMessageId: input.clientMessageId,
      clientTimestamp: input.clientTimestamp,
      mediaId: input.mediaId,
      at,
    },
    'SendGroupMessage',
    caller,
    meta,
    messageId,
  );
  if (isLeft(result)) return result;
  const sent = result.right.events.find((e) => e.type === 'GroupMessageSent');
  if (sent?.type !== 'GroupMessageSent') throw new Error('SendGroupMessage committed without a GroupMessageSent event');
  return right({
    messageId: sent.data.messageId,
    groupId: sent.data.groupId,
    at: sent.data.at,
    stream: result.right.stream,
    seq: result.right.seq,
    duplicate: result.right.duplicate,
  });
}
