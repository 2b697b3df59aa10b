/**
 * MessagingService RPCs of groups: CreateGroup, AddGroupMember,
 * RemoveGroupMember, LeaveGroup, SendGroupMessage (commands on the group's
 * aggregate, commands/group/actions.ts) and GetGroups, GetGroupById,
 * GetGroupMessages (reads of the groups and timeline views,
 * projections/groups/). Every call is authenticated first, then validated
 * (INVALID_REQUEST naming the field).
 *
 * Authorization: changes are decided on the aggregate (an unknown group is
 * NOT_FOUND, a caller who is not a member FORBIDDEN, roles as in
 * commands/group/decider.ts); reads answer NOT_FOUND to anyone who is not a member.
 * Command answers carry their consistency token (additive `consistency`);
 * reads take `min_seq`.
 */
import { groupReceipts, type GroupReceipt } from '../../../projections/groups/receipts.ts';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  addGroupMember,
  createGroup,
  leaveGroup,
  removeGroupMember,
  sendGroupMessage,
  type GroupActionDeps,
} from '../../../commands/group/actions.ts';
import { MAX_GROUP_NAME_CHARS, MAX_MLS_GROUP_STATE_BYTES } from '../../../commands/group/decider.ts';
import { getGroupMessages } from '../../../projections/groups/get-group-messages.ts';
import {
  getGroupById,
  getGroups,
  type GroupMessageView,
  type GroupReadDeps,
  type GroupView,
} from '../../../projections/groups/get-groups.ts';
import { MESSAGE_TYPES } from '../../../streams/events/messages.ts';
import { STREAMS } from '../../../streams/subjects.ts';
import { authenticate, type CallWithAccessToken } from '../../shared/auth-context.ts';
import { fromDomain } from '../../shared/errors.ts';
import type { MessagingServiceDeps } from './deps.ts';
import { unary, type ReplyOf } from '../server.ts';
import { historyQuery, HistoryPageProps, paginationOf } from './history-paging.ts';
import { echoTimestamp, toTimestamp } from '../timestamps.ts';
import type { MessagingServiceHandlers as Rpc } from '../generated/guardyn/messaging/MessagingService.ts';
import type { GroupInfo } from '../generated/guardyn/messaging/GroupInfo.ts';
import type { GroupMessage } from '../generated/guardyn/messaging/GroupMessage.ts';
import type { GroupMemberInfo } from '../generated/guardyn/messaging/GroupMemberInfo.ts';
import {
  BoundedArray,
  BoundedBytes,
  BoundedString,
  decodeRequest,
  EnumName,
  OptionalTimestamp,
  OptionalUuid,
  PageSizeWithDefault,
  StreamSeq,
  Uuid,
} from '../../shared/validation.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

/** GetGroups' page size when the request gives none. */
const DEFAULT_GROUPS_PAGE = 20;

/** "member" (also when empty) or "admin"; "owner" is never given, only handed over. */
const AddedRole = new t.Type<'member' | 'admin', string, unknown>(
  'GroupRole',
  (u): u is 'member' | 'admin' => u === 'member' || u === 'admin',
  (u, c) =>
    u === '' || u === 'member' || u === undefined
      ? t.success('member')
      : u === 'admin'
        ? t.success('admin')
        : t.failure(u, c, 'must be "member", "admin" or empty (member)'),
  t.identity,
);

const GroupName = BoundedString('GroupName', MAX_GROUP_NAME_CHARS, { min: 1, rejectControl: true });
const MlsGroupState = BoundedBytes(MAX_MLS_GROUP_STATE_BYTES);
const Cursor = BoundedString('Cursor', 128, { rejectControl: true });

const createRequest = (maxGroupSize: number) =>
  t.type({
    group_name: GroupName,
    member_user_ids: BoundedArray(Uuid, maxGroupSize),
    mls_group_state: MlsGroupState,
  });

const AddGroupMemberRequest = t.type({
  group_id: Uuid,
  member_user_id: Uuid,
  member_device_id: OptionalUuid,
  mls_group_state: MlsGroupState,
  role: AddedRole,
});

const RemoveGroupMemberRequest = t.type({ group_id: Uuid, member_user_id: Uuid, mls_group_state: MlsGroupState });
const LeaveGroupRequest = t.type({ group_id: Uuid });

const sendRequest = (maxContentBytes: number) =>
  t.type({
    group_id: Uuid,
    encrypted_content: BoundedBytes(maxContentBytes, { min: 1 }),
    message_type: EnumName(MESSAGE_TYPES, 'MessageType'),
    client_message_id: BoundedString('ClientMessageId', 128, { rejectControl: true }),
    client_timestamp: OptionalTimestamp,
    media_id: BoundedString('MediaId', 128, { rejectControl: true }),
  });

const GetGroupMessagesRequest = t.type({
  group_id: Uuid,
  ...HistoryPageProps,
  cursor: Cursor,
});

const GetGroupsRequest = t.type({
  limit: PageSizeWithDefault(DEFAULT_GROUPS_PAGE),
  cursor: Cursor,
  min_seq: StreamSeq,
});
const GetGroupByIdRequest = t.type({ group_id: Uuid, min_seq: StreamSeq });

const consistency = (stream: string, seq: number) => ({ stream, seq: String(seq) });

/** guardyn.messaging.GroupMessage of a stored group message. */
export function toGroupMessage(m: GroupMessageView, receipt?: GroupReceipt): GroupMessage {
  return {
    ...(receipt === undefined
      ? {}
      : {
          delivery_status: receipt.status,
          recipient_count: receipt.recipients,
          delivered_count: receipt.delivered,
          read_count: receipt.read,
        }),
    message_id: m.messageId,
    group_id: m.conversationId,
    sender_user_id: m.senderUserId,
    sender_device_id: m.senderDeviceId,
    sender_username: m.senderUsername,
    encrypted_content: m.deleted
      ? Buffer.alloc(0)
      : Buffer.from(m.encryptedContent.buffer, m.encryptedContent.byteOffset, m.encryptedContent.byteLength),
    message_type: m.messageType,
    client_message_id: m.clientMessageId,
    client_timestamp: echoTimestamp(m.clientTimestamp),
    server_timestamp: toTimestamp(m.at),
    media_id: m.deleted ? '' : m.mediaId,
    is_deleted: m.deleted,
    seq: String(m.seq),
  };
}

/** guardyn.messaging.GroupInfo of a group as its member sees it. */
export function toGroupInfo(v: GroupView): GroupInfo {
  return {
    group_id: v.group.groupId,
    name: v.group.name,
    creator_user_id: v.group.creatorUserId,
    owner_user_id: v.group.ownerUserId,
    members: v.members.map(
      (m): GroupMemberInfo => ({
        user_id: m.userId,
        username: m.username,
        device_id: m.deviceId,
        role: m.role,
        joined_at: toTimestamp(m.joinedAt),
      }),
    ),
    created_at: toTimestamp(v.group.createdAt),
    member_count: v.group.memberCount,
    last_message: v.lastMessage === undefined ? null : toGroupMessage(v.lastMessage),
  };
}

export function groupRpcs(
  deps: MessagingServiceDeps,
): Pick<
  Rpc,
  | 'CreateGroup'
  | 'AddGroupMember'
  | 'RemoveGroupMember'
  | 'LeaveGroup'
  | 'SendGroupMessage'
  | 'GetGroupMessages'
  | 'GetGroups'
  | 'GetGroupById'
> {
  const { groups, inbox } = deps;
  const maxGroupSize = deps.config.messaging.maxGroupSize;
  const actions: GroupActionDeps = { handler: deps.handler, directory: deps.directory, groups, maxGroupSize };
  const reads: GroupReadDeps = {
    groups,
    timeline: deps.timeline,
    users: deps.users,
    get groupsProgress() {
      return deps.progressOf('groups');
    },
    get timelineProgress() {
      return deps.progressOf('timeline');
    },
    lastSeq: () => deps.log.lastSeq(STREAMS.messages),
    minSeqWaitMs: deps.minSeqWaitMs,
  };
  const CreateGroupRequest = createRequest(maxGroupSize);
  const SendGroupMessageRequest = sendRequest(deps.maxContentBytes);
  const auth = (call: CallWithAccessToken) => authenticate(call, call.request.access_token, deps.tokens, deps.sessions);

  return {
    CreateGroup: unary('messaging.CreateGroup', deps.logger, async (call, ctx): Reply<'CreateGroup'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(CreateGroupRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await createGroup(
        actions,
        who.right,
        {
          name: req.right.group_name,
          memberUserIds: req.right.member_user_ids,
          mlsGroupState: req.right.mls_group_state,
        },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const r = result.right;
      return {
        success: { group_id: r.groupId, created_at: toTimestamp(r.at), consistency: consistency(r.stream, r.seq) },
      };
    }),

    AddGroupMember: unary('messaging.AddGroupMember', deps.logger, async (call, ctx): Reply<'AddGroupMember'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(AddGroupMemberRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const result = await addGroupMember(
        actions,
        who.right,
        {
          groupId: r.group_id,
          userId: r.member_user_id,
          deviceId: r.member_device_id ?? '',
          role: r.role,
          mlsGroupState: r.mls_group_state,
        },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      return {
        success: { added: result.right.added, consistency: consistency(result.right.stream, result.right.seq) },
      };
    }),

    RemoveGroupMember: unary(
      'messaging.RemoveGroupMember',
      deps.logger,
      async (call, ctx): Reply<'RemoveGroupMember'> => {
        const who = await auth(call);
        if (isLeft(who)) return { error: who.left };
        const req = decodeRequest(RemoveGroupMemberRequest, call.request);
        if (isLeft(req)) return { error: req.left };
        const result = await removeGroupMember(
          actions,
          who.right,
          {
            groupId: req.right.group_id,
            userId: req.right.member_user_id,
            mlsGroupState: req.right.mls_group_state,
          },
          { correlationId: ctx.correlationId },
        );
        if (isLeft(result)) return { error: fromDomain(result.left) };
        return { success: { removed: true, consistency: consistency(result.right.stream, result.right.seq) } };
      },
    ),

    LeaveGroup: unary('messaging.LeaveGroup', deps.logger, async (call, ctx): Reply<'LeaveGroup'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(LeaveGroupRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await leaveGroup(actions, who.right, req.right.group_id, { correlationId: ctx.correlationId });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      return { success: { left: true, consistency: consistency(result.right.stream, result.right.seq) } };
    }),

    SendGroupMessage: unary('messaging.SendGroupMessage', deps.logger, async (call, ctx): Reply<'SendGroupMessage'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(SendGroupMessageRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const result = await sendGroupMessage(
        actions,
        who.right,
        {
          groupId: r.group_id,
          encryptedContent: r.encrypted_content,
          messageType: r.message_type,
          clientMessageId: r.client_message_id,
          clientTimestamp: r.client_timestamp,
          mediaId: r.media_id,
        },
        { correlationId: ctx.correlationId },
      );
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const sent = result.right;
      return {
        success: {
          message_id: sent.messageId,
          server_timestamp: toTimestamp(sent.at),
          consistency: consistency(sent.stream, sent.seq),
        },
      };
    }),

    GetGroupMessages: unary('messaging.GetGroupMessages', deps.logger, async (call): Reply<'GetGroupMessages'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetGroupMessagesRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const query = historyQuery(call.request.limit, r);
      const result = await getGroupMessages(reads, { ...query, callerUserId: who.right.userId, groupId: r.group_id });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const g = result.right;
      const receipts = await groupReceipts(r.group_id, who.right.userId, g.messages, { groups, inbox });
      return {
        success: {
          messages: g.messages.map((m) => toGroupMessage(m, receipts.get(m.seq))),
          pagination: paginationOf(g.totalItems, g.page, query.limit),
          next_cursor: g.nextCursor,
          has_more: g.hasMore,
          stale: g.stale,
        },
      };
    }),

    GetGroups: unary('messaging.GetGroups', deps.logger, async (call): Reply<'GetGroups'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetGroupsRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await getGroups(reads, {
        callerUserId: who.right.userId,
        limit: req.right.limit,
        cursor: req.right.cursor,
        minSeq: req.right.min_seq,
      });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      const g = result.right;
      return {
        success: { groups: g.groups.map(toGroupInfo), next_cursor: g.nextCursor, has_more: g.hasMore, stale: g.stale },
      };
    }),

    GetGroupById: unary('messaging.GetGroupById', deps.logger, async (call): Reply<'GetGroupById'> => {
      const who = await auth(call);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetGroupByIdRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const result = await getGroupById(reads, {
        callerUserId: who.right.userId,
        groupId: req.right.group_id,
        minSeq: req.right.min_seq,
      });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      return { success: { group: toGroupInfo(result.right.group), stale: result.right.stale } };
    }),
  };
}
