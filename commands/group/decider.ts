/**
 * The group aggregate (subject messages.group.<groupId>): who belongs to a
 * group and with which role, and the messages sent to it. Pure: facts from
 * elsewhere (whether a user to add exists) travel in the command.
 *
 * Roles:
 * - owner: exactly one while the group has members; the creator first. May add
 *   members and admins and remove anyone but themselves.
 * - admin: may add members (not admins) and remove admins and members, never
 *   the owner.
 * - member: may send, read and leave.
 *
 * Refusals: an unknown group is NOT_FOUND; a caller who is not a member is
 * FORBIDDEN for every change (send, add, remove, leave). When the owner
 * leaves, ownership passes to the longest-standing admin, else to the
 * longest-standing member; when the last member leaves the group is empty and
 * nobody can change it any more.
 *
 * The state keeps the members in join order (a Map's insertion order; a member
 * removed and added again joins anew at the end), which is what "longest
 * standing" means. Messages, deletions and read receipts do not change the
 * state: the facts about a message (sender, time, deleted, hidden, the
 * member's join and read positions) come from the groups view with the command.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import {
  GroupRole as GroupRoleCodec,
  type GroupCreated,
  type GroupMemberAdded,
  type GroupMemberLeft,
  type GroupMemberRemoved,
  type GroupMessageDeleted,
  type GroupMessageHidden,
  type GroupMessageSent,
  type GroupMessagesRead,
  type GroupRole,
} from '../../streams/events/groups.ts';
import type { MessageTypeName } from '../../streams/events/messages.ts';
import type { EventOf } from '../../streams/events/registry.ts';
import { domainError, fold, type Decider, type DomainError } from '../handler/decider.ts';

export type GroupEvent = EventOf<
  | typeof GroupCreated
  | typeof GroupMemberAdded
  | typeof GroupMemberRemoved
  | typeof GroupMemberLeft
  | typeof GroupMessageSent
  | typeof GroupMessageDeleted
  | typeof GroupMessageHidden
  | typeof GroupMessagesRead
>;

/** The default of GUARDYN_MESSAGING__MAX_GROUP_SIZE: members of one group, the owner included. */
export const DEFAULT_MAX_GROUP_SIZE = 1000;
/** Largest opaque MLS group state stored with a membership change. */
export const MAX_MLS_GROUP_STATE_BYTES = 64 * 1024;
/** Longest group name, in characters (code points). */
export const MAX_GROUP_NAME_CHARS = 128;

export interface CreateGroup {
  readonly kind: 'CreateGroup';
  readonly groupId: string;
  readonly name: string;
  readonly ownerUserId: string;
  /** The initial members besides the owner (repeats and the owner are dropped). */
  readonly memberUserIds: readonly string[];
  readonly mlsGroupState: Uint8Array;
  /** Most members the group may have, the owner included. */
  readonly maxMembers: number;
  readonly at: number;
}

export interface AddGroupMember {
  readonly kind: 'AddGroupMember';
  readonly groupId: string;
  readonly actorUserId: string;
  readonly userId: string;
  /** '' for every device of the user. */
  readonly deviceId: string;
  readonly role: Exclude<GroupRole, 'owner'>;
  /** Whether the user to add is registered (from the user directory). */
  readonly userExists: boolean;
  readonly mlsGroupState: Uint8Array;
  readonly maxMembers: number;
  readonly at: number;
}

export interface RemoveGroupMember {
  readonly kind: 'RemoveGroupMember';
  readonly groupId: string;
  readonly actorUserId: string;
  readonly userId: string;
  readonly mlsGroupState: Uint8Array;
  readonly at: number;
}

export interface LeaveGroup {
  readonly kind: 'LeaveGroup';
  readonly groupId: string;
  readonly userId: string;
  readonly at: number;
}

/** What a client sends to a group: stored and relayed exactly as given. */
export interface GroupMessagePayload {
  readonly encryptedContent: Uint8Array;
  readonly messageType: MessageTypeName;
  readonly clientMessageId: string;
  readonly clientTimestamp: { readonly seconds: number; readonly nanos: number } | null;
  readonly mediaId: string;
}

export interface SendGroupMessage extends GroupMessagePayload {
  readonly kind: 'SendGroupMessage';
  readonly groupId: string;
  readonly messageId: string;
  readonly senderUserId: string;
  readonly senderDeviceId: string;
  readonly at: number;
}

/**
 * What the groups view knows of a message and of the acting member when a
 * member deletes or reads it (facts the aggregate does not keep: it holds the
 * roster, not the messages).
 */
export interface GroupMessageFacts {
  readonly messageId: string;
  readonly seq: number;
  readonly senderUserId: string;
  readonly at: number;
  readonly deleted: boolean;
  readonly hiddenFor: readonly string[];
}

/** The acting member as the view knows them: messages at or before `joinSeq` are not theirs to see. */
export interface MemberFacts {
  readonly joinSeq: number;
  /** The member's read position (0: nothing read). */
  readonly readUpTo: number;
}

/** DeleteMessage on a group message: for everyone (sender only, within the window) or hidden for the caller. */
export interface DeleteGroupMessage {
  readonly kind: 'DeleteGroupMessage';
  readonly groupId: string;
  readonly userId: string;
  readonly member: MemberFacts;
  readonly message: GroupMessageFacts;
  readonly forEveryone: boolean;
  readonly windowMs: number;
  readonly at: number;
}

/** MarkAsRead on group messages: a read receipt from a member who did not send them. */
export interface MarkGroupMessagesRead {
  readonly kind: 'MarkGroupMessagesRead';
  readonly groupId: string;
  readonly readerUserId: string;
  readonly readerDeviceId: string;
  readonly member: MemberFacts;
  readonly messages: readonly GroupMessageFacts[];
  readonly at: number;
}

export type GroupCommand =
  | CreateGroup
  | AddGroupMember
  | RemoveGroupMember
  | LeaveGroup
  | SendGroupMessage
  | DeleteGroupMessage
  | MarkGroupMessagesRead;

export interface GroupState {
  readonly created: boolean;
  /** The owner; null before creation and once the group is empty. */
  readonly ownerUserId: string | null;
  /** Current members with their roles, longest-standing first. */
  readonly members: ReadonlyMap<string, GroupRole>;
}

/** The state as kept in a snapshot: the members in join order as [userId, role] pairs. */
const GroupSnapshot = t.type({
  created: t.boolean,
  ownerUserId: t.union([t.string, t.null]),
  members: t.array(t.tuple([t.string, GroupRoleCodec])),
});

const initialState: GroupState = { created: false, ownerUserId: null, members: new Map() };

const groupNotFound = domainError('NOT_FOUND', 'group not found', 'group_id');
const notAMember = domainError('FORBIDDEN', 'the caller is not a member of this group', 'group_id');

/** The caller's role, or the refusal: NOT_FOUND for an unknown group, FORBIDDEN for a non-member. */
function roleOf(state: GroupState, userId: string): Either<DomainError, GroupRole> {
  if (!state.created) return left(groupNotFound);
  const role = state.members.get(userId);
  return role === undefined ? left(notAMember) : right(role);
}

const one = (event: GroupEvent): Either<DomainError, readonly GroupEvent[]> => right([event]);

function decideCreate(c: CreateGroup, state: GroupState): Either<DomainError, readonly GroupEvent[]> {
  if (state.created) return left(domainError('CONFLICT', 'a group with this id already exists', 'group_id'));
  const others = [...new Set(c.memberUserIds)].filter((id) => id !== c.ownerUserId);
  if (others.length + 1 > c.maxMembers) {
    return left(
      domainError(
        'INVALID_REQUEST',
        `invalid request: a group has at most ${c.maxMembers} members, the creator included`,
        'member_user_ids',
      ),
    );
  }
  return one({
    type: 'GroupCreated',
    data: {
      groupId: c.groupId,
      name: c.name,
      ownerUserId: c.ownerUserId,
      members: [
        { userId: c.ownerUserId, role: 'owner' },
        ...others.map((userId) => ({ userId, role: 'member' as const })),
      ],
      mlsGroupState: c.mlsGroupState,
      at: c.at,
    },
  });
}

function decideAdd(c: AddGroupMember, state: GroupState): Either<DomainError, readonly GroupEvent[]> {
  const actor = roleOf(state, c.actorUserId);
  if (isLeft(actor)) return actor;
  if (actor.right === 'member')
    return left(domainError('FORBIDDEN', 'only the owner or an admin may add members', 'group_id'));
  if (c.role === 'admin' && actor.right !== 'owner')
    return left(domainError('FORBIDDEN', 'only the owner may add an admin', 'role'));
  if (!c.userExists) return left(domainError('NOT_FOUND', 'user not found', 'member_user_id'));
  // Already a member: nothing changes (AddGroupMember answers added = false).
  if (state.members.has(c.userId)) return right([]);
  if (state.members.size >= c.maxMembers)
    return left(
      domainError('CONFLICT', `the group is full: it has the most members allowed (${c.maxMembers})`, 'group_id'),
    );
  return one({
    type: 'GroupMemberAdded',
    data: {
      groupId: c.groupId,
      userId: c.userId,
      deviceId: c.deviceId,
      role: c.role,
      addedBy: c.actorUserId,
      mlsGroupState: c.mlsGroupState,
      at: c.at,
    },
  });
}

function decideRemove(c: RemoveGroupMember, state: GroupState): Either<DomainError, readonly GroupEvent[]> {
  const actor = roleOf(state, c.actorUserId);
  if (isLeft(actor)) return actor;
  if (actor.right === 'member')
    return left(domainError('FORBIDDEN', 'only the owner or an admin may remove members', 'group_id'));
  if (c.userId === c.actorUserId)
    return left(domainError('INVALID_REQUEST', 'invalid request: to leave a group, use LeaveGroup', 'member_user_id'));
  const target = state.members.get(c.userId);
  if (target === undefined)
    return left(domainError('NOT_FOUND', 'the user is not a member of this group', 'member_user_id'));
  if (target === 'owner') return left(domainError('FORBIDDEN', 'the owner cannot be removed', 'member_user_id'));
  return one({
    type: 'GroupMemberRemoved',
    data: { groupId: c.groupId, userId: c.userId, removedBy: c.actorUserId, mlsGroupState: c.mlsGroupState, at: c.at },
  });
}

/** Who owns the group after `leaving` (the owner) leaves: the longest-standing admin, else member; undefined when nobody is left. */
export function successorOf(members: ReadonlyMap<string, GroupRole>, leaving: string): string | undefined {
  let firstMember: string | undefined;
  for (const [userId, role] of members) {
    if (userId === leaving) continue;
    if (role === 'admin') return userId;
    firstMember ??= userId;
  }
  return firstMember;
}

function decideLeave(c: LeaveGroup, state: GroupState): Either<DomainError, readonly GroupEvent[]> {
  const role = roleOf(state, c.userId);
  if (isLeft(role)) return role;
  const newOwnerUserId = role.right === 'owner' ? successorOf(state.members, c.userId) : undefined;
  return one({
    type: 'GroupMemberLeft',
    data:
      newOwnerUserId === undefined
        ? { groupId: c.groupId, userId: c.userId, at: c.at }
        : { groupId: c.groupId, userId: c.userId, newOwnerUserId, at: c.at },
  });
}

function decideSend(c: SendGroupMessage, state: GroupState): Either<DomainError, readonly GroupEvent[]> {
  const role = roleOf(state, c.senderUserId);
  if (isLeft(role)) return role;
  const { kind: _kind, ...message } = c;
  return one({ type: 'GroupMessageSent', data: message });
}

const messageNotFound = (field: string) => domainError('NOT_FOUND', 'message not found', field);

function decideDeleteMessage(c: DeleteGroupMessage, state: GroupState): Either<DomainError, readonly GroupEvent[]> {
  const role = roleOf(state, c.userId);
  if (isLeft(role)) return role;
  const m = c.message;
  // A message from before the caller joined is not theirs to see, nor to delete.
  if (m.seq <= c.member.joinSeq) return left(messageNotFound('message_id'));
  if (!c.forEveryone) {
    if (m.hiddenFor.includes(c.userId)) return right([]);
    return one({
      type: 'GroupMessageHidden',
      data: { groupId: c.groupId, messageId: m.messageId, messageSeq: m.seq, userId: c.userId, at: c.at },
    });
  }
  if (m.senderUserId !== c.userId)
    return left(domainError('FORBIDDEN', 'only the sender may delete a message for everyone', 'delete_for_everyone'));
  if (m.deleted) return right([]);
  if (c.at - m.at > c.windowMs) {
    const hours = Math.round((c.windowMs / 3_600_000) * 10) / 10;
    return left(
      domainError(
        'FORBIDDEN',
        `a message can be deleted for everyone only within ${hours} h of sending it`,
        'delete_for_everyone',
      ),
    );
  }
  return one({
    type: 'GroupMessageDeleted',
    data: { groupId: c.groupId, messageId: m.messageId, messageSeq: m.seq, deletedBy: c.userId, at: c.at },
  });
}

function decideRead(c: MarkGroupMessagesRead, state: GroupState): Either<DomainError, readonly GroupEvent[]> {
  const role = roleOf(state, c.readerUserId);
  if (isLeft(role)) return role;
  const fresh: string[] = [];
  let uptoSeq = c.member.readUpTo;
  for (const m of c.messages) {
    if (m.seq <= c.member.joinSeq) return left(messageNotFound('message_ids'));
    if (m.senderUserId === c.readerUserId) {
      return left(
        domainError('FORBIDDEN', 'only a recipient can mark a message as read; the caller sent it', 'message_ids'),
      );
    }
    // Already read (at or below the read position), deleted, or named twice: nothing new.
    if (m.seq <= c.member.readUpTo || m.deleted || fresh.includes(m.messageId)) continue;
    fresh.push(m.messageId);
    uptoSeq = Math.max(uptoSeq, m.seq);
  }
  if (fresh.length === 0) return right([]);
  return one({
    type: 'GroupMessagesRead',
    data: {
      groupId: c.groupId,
      readerUserId: c.readerUserId,
      readerDeviceId: c.readerDeviceId,
      messageIds: fresh,
      uptoSeq,
      at: c.at,
    },
  });
}

function without(members: ReadonlyMap<string, GroupRole>, userId: string): Map<string, GroupRole> {
  const next = new Map(members);
  next.delete(userId);
  return next;
}

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState> = {
  initialState,
  decide(command, state) {
    switch (command.kind) {
      case 'CreateGroup':
        return decideCreate(command, state);
      case 'AddGroupMember':
        return decideAdd(command, state);
      case 'RemoveGroupMember':
        return decideRemove(command, state);
      case 'LeaveGroup':
        return decideLeave(command, state);
      case 'SendGroupMessage':
        return decideSend(command, state);
      case 'DeleteGroupMessage':
        return decideDeleteMessage(command, state);
      case 'MarkGroupMessagesRead':
        return decideRead(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'GroupCreated':
        return {
          created: true,
          ownerUserId: event.data.ownerUserId,
          members: new Map(event.data.members.map((m) => [m.userId, m.role])),
        };
      case 'GroupMemberAdded': {
        const members = without(state.members, event.data.userId);
        members.set(event.data.userId, event.data.role);
        return { ...state, members };
      }
      case 'GroupMemberRemoved':
        return { ...state, members: without(state.members, event.data.userId) };
      case 'GroupMemberLeft': {
        const members = without(state.members, event.data.userId);
        const next = event.data.newOwnerUserId;
        if (next !== undefined && members.has(next)) members.set(next, 'owner');
        const ownerUserId = next ?? (state.ownerUserId === event.data.userId ? null : state.ownerUserId);
        return { ...state, members, ownerUserId: members.size === 0 ? null : ownerUserId };
      }
      case 'GroupMessageSent':
      case 'GroupMessageDeleted':
      case 'GroupMessageHidden':
      case 'GroupMessagesRead':
        return state;
    }
  },
  fromLastCommit(events) {
    // Only the creation holds the whole roster; after anything else the subject is replayed (from its snapshot).
    return events[0]?.type === 'GroupCreated' ? fold(groupDecider, initialState, events) : undefined;
  },
  snapshot: {
    version: 1,
    encode: (state) => ({ created: state.created, ownerUserId: state.ownerUserId, members: [...state.members] }),
    decode(json) {
      const r = GroupSnapshot.decode(json);
      return isLeft(r)
        ? undefined
        : { created: r.right.created, ownerUserId: r.right.ownerUserId, members: new Map(r.right.members) };
    },
  },
};
