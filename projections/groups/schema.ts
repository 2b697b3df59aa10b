/**
 * The groups view: each group, its current members with their roles and the
 * stream sequence at which they joined, per user the groups newest activity
 * first, and the group message-id index.
 *
 *   group/id/<groupId>                          → GroupRecord
 *   group/member/<groupId>/<userId>             → GroupMemberRecord
 *   group/mine/<userId>/<groupId>              → 1 (the groups the user belongs to now)
 *   group/msgidx/<messageId>                    → GroupMessageIndexRecord
 *
 * A group message changes only the group record (its `lastSeq`, counts), never
 * one key per member: GetGroups lists a user's groups from `group/mine/` and
 * orders them newest activity first by the records' `lastSeq` (a user belongs
 * to a bounded number of groups; a group may have a thousand members).
The ciphertext of group messages lives in the timeline
 * view (partition = group id), not here.
 */
import * as t from 'io-ts';
import { GroupRole } from '../../streams/events/groups.ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const GroupRecord = t.type({
  groupId: t.string,
  /** As the creator gave it (user content, stored in the clear). */
  name: t.string,
  creatorUserId: t.string,
  /** '' once the group is empty. */
  ownerUserId: t.string,
  createdAt: t.number,
  updatedAt: t.number,
  /** Sequence of the group's newest commit (the recency keys sit here). */
  lastSeq: t.number,
  memberCount: t.number,
  /** Messages ever sent to the group. */
  messageCount: t.number,
  /** Sequence of the newest message (0: none yet). */
  lastMessageSeq: t.number,
});
export type GroupRecord = t.TypeOf<typeof GroupRecord>;

const GroupMemberRequired = t.type({
  userId: t.string,
  role: GroupRole,
  /** The device the member was added with ('' for every device). */
  deviceId: t.string,
  joinedAt: t.number,
  /** Sequence of the commit that made the user a member: the member reads only messages after it. */
  joinSeq: t.number,
  /** Order among the members who joined in the same commit (the creation lists several): owner 0, then as listed. */
  joinIndex: t.number,
  /** The group's messageCount when the user joined (what the member sees is the rest). */
  messagesAtJoin: t.number,
});
export const GroupMemberRecord = t.intersection([
  GroupMemberRequired,
  /** readUpTo: the member's read position (the newest message seq their read receipts named). */
  t.partial({ readUpTo: t.number }),
]);
export type GroupMemberRecord = t.TypeOf<typeof GroupMemberRecord>;

export const GroupMessageIndexRecord = t.intersection([
  t.type({ groupId: t.string, seq: t.number, at: t.number, senderUserId: t.string }),
  /** deleted: for everyone by the sender; hiddenFor: members who deleted it for themselves. */
  t.partial({ deleted: t.boolean, hiddenFor: t.array(t.string) }),
]);
export type GroupMessageIndexRecord = t.TypeOf<typeof GroupMessageIndexRecord>;

export const groupRecord = recordCodec('group', GroupRecord);
export const groupMemberRecord = recordCodec('group member', GroupMemberRecord);
export const groupMessageIndexRecord = recordCodec('group message index', GroupMessageIndexRecord);

export const groupsKeys = {
  prefixes: [childPrefix('group')],
  group: (groupId: string) => key('group', 'id', groupId),
  member: (groupId: string, userId: string) => key('group', 'member', groupId, userId),
  membersOf: (groupId: string) => childPrefix('group', 'member', groupId),
  mine: (userId: string, groupId: string) => key('group', 'mine', userId, groupId),
  mineOf: (userId: string) => childPrefix('group', 'mine', userId),
  message: (messageId: string) => key('group', 'msgidx', messageId),
};

const tail = (k: Uint8Array, offset: number) =>
  Buffer.from(k.buffer, k.byteOffset + offset, k.byteLength - offset).toString('utf8');

/** The user id at the end of a member key of `groupId`. */
export const userIdOfMemberKey = (groupId: string, memberKey: Uint8Array): string =>
  tail(memberKey, groupsKeys.membersOf(groupId).length);

/** The group id at the end of a `mine` key of `userId`. */
export const groupIdOfMineKey = (userId: string, mineKey: Uint8Array): string =>
  tail(mineKey, groupsKeys.mineOf(userId).length);
