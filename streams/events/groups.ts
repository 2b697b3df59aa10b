/**
 * Events of the MESSAGES stream on a group's subject (messages.group.<groupId>):
 * the group's creation, its membership changes and the messages sent to it.
 *
 * - `mlsGroupState` is the client's opaque MLS state after the change, stored
 *   exactly as given (raw bytes in the commit body) with each membership change.
 * - The group name is user content the contract hands the server in the clear;
 *   it is stored as given (not sealed, see docs/adr/0033-groups-one-aggregate-per-group-membership-decided-on-it.md).
 * - Every event names its group, so views need nothing but the event.
 */
import * as t from 'io-ts';
import { Base64Bytes, EpochMs } from './codecs.ts';
import { MessageTypeName } from './messages.ts';
import { defineEvent } from './registry.ts';

/** owner: one per group (the creator first); admin: manages members; member: sends and reads. */
export const GroupRole = t.keyof({ owner: null, admin: null, member: null });
export type GroupRole = t.TypeOf<typeof GroupRole>;

export const GroupMemberEntry = t.type({ userId: t.string, role: GroupRole });
export type GroupMemberEntry = t.TypeOf<typeof GroupMemberEntry>;

/** A new group: the owner (its creator) and the initial members, in join order (owner first). */
export const GroupCreated = defineEvent(
  'GroupCreated',
  1,
  t.type({
    groupId: t.string,
    name: t.string,
    ownerUserId: t.string,
    members: t.array(GroupMemberEntry),
    mlsGroupState: Base64Bytes,
    at: EpochMs,
  }),
);

/** An owner or admin added a member (`deviceId` '' means every device of the user). */
export const GroupMemberAdded = defineEvent(
  'GroupMemberAdded',
  1,
  t.type({
    groupId: t.string,
    userId: t.string,
    deviceId: t.string,
    role: GroupRole,
    addedBy: t.string,
    mlsGroupState: Base64Bytes,
    at: EpochMs,
  }),
);

/** An owner or admin removed a member. */
export const GroupMemberRemoved = defineEvent(
  'GroupMemberRemoved',
  1,
  t.type({
    groupId: t.string,
    userId: t.string,
    removedBy: t.string,
    mlsGroupState: Base64Bytes,
    at: EpochMs,
  }),
);

/**
 * A member left. When the owner leaves, `newOwnerUserId` names who owns the
 * group from now on (absent when nobody is left: the group is empty).
 */
export const GroupMemberLeft = defineEvent(
  'GroupMemberLeft',
  1,
  t.intersection([
    t.type({ groupId: t.string, userId: t.string, at: EpochMs }),
    t.partial({ newOwnerUserId: t.string }),
  ]),
);

/** The fields of GroupMessageSent, for views that store a message in their own layout. */
export const GroupMessageSentProps = {
  groupId: t.string,
  messageId: t.string,
  senderUserId: t.string,
  senderDeviceId: t.string,
  /** Ciphertext exactly as the client sent it (MLS application message); the server never sees plaintext. */
  encryptedContent: Base64Bytes,
  messageType: MessageTypeName,
  clientMessageId: t.string,
  /** The client's clock exactly as sent, or null when it gave none. */
  clientTimestamp: t.union([t.type({ seconds: t.number, nanos: t.number }), t.null]),
  mediaId: t.string,
  at: EpochMs,
};

export const GroupMessageSent = defineEvent('GroupMessageSent', 1, t.type(GroupMessageSentProps));

/** The sender deleted a group message for every member: it stays in place as a tombstone. */
export const GroupMessageDeleted = defineEvent(
  'GroupMessageDeleted',
  1,
  t.type({
    groupId: t.string,
    messageId: t.string,
    /** Stream sequence of the message's commit (where its rows sit). */
    messageSeq: t.number,
    deletedBy: t.string,
    at: EpochMs,
  }),
);

/** A member deleted a group message for themselves only: their reads skip it. */
export const GroupMessageHidden = defineEvent(
  'GroupMessageHidden',
  1,
  t.type({
    groupId: t.string,
    messageId: t.string,
    messageSeq: t.number,
    userId: t.string,
    at: EpochMs,
  }),
);

/**
 * A member read group messages (a read receipt): `uptoSeq` is the newest of
 * them; a member's read position only moves forward.
 */
export const GroupMessagesRead = defineEvent(
  'GroupMessagesRead',
  1,
  t.type({
    groupId: t.string,
    readerUserId: t.string,
    readerDeviceId: t.string,
    messageIds: t.array(t.string),
    uptoSeq: t.number,
    at: EpochMs,
  }),
);

export const groupEvents = [
  GroupCreated,
  GroupMemberAdded,
  GroupMemberRemoved,
  GroupMemberLeft,
  GroupMessageSent,
  GroupMessageDeleted,
  GroupMessageHidden,
  GroupMessagesRead,
] as const;
