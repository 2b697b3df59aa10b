/**
 * Builds the groups view from the MESSAGES stream (group subjects only; the
 * consumer follows `messages.>` so the view's checkpoint reaches the stream's
 * last sequence, as min_seq waits and rebuilds expect).
 *
 * Every commit of a group is activity: the group's `lastSeq` moves to it (one
 * record write, whatever the group's size; GetGroups orders a user's groups by
 * it, see docs/adr/0033-groups-one-aggregate-per-group-membership-decided-on-it.md).
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { GroupEvent } from '../../commands/group/decider.ts';
import type { GroupRole } from '../../streams/events/groups.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import {
  groupMemberRecord,
  groupMessageIndexRecord,
  groupRecord,
  groupsKeys as keys,
  type GroupRecord,
} from './schema.ts';

async function readGroup(tx: KvTx, groupId: string): Promise<GroupRecord> {
  const group = await tx.getRecord(keys.group(groupId), groupRecord);
  if (!group) throw new Error(`event of unknown group ${groupId}`);
  return group;
}

/** Writes the group record at its newest commit `seq` (the order of GetGroups). */
function touch(tx: KvTx, group: GroupRecord, seq: number, at: number): void {
  tx.putRecord(keys.group(group.groupId), groupRecord, { ...group, lastSeq: seq, updatedAt: at });
}

function join(
  tx: KvTx,
  group: GroupRecord,
  userId: string,
  role: GroupRole,
  deviceId: string,
  seq: number,
  joinIndex: number,
  at: number,
): void {
  tx.put(
    keys.member(group.groupId, userId),
    groupMemberRecord.encode({
      userId,
      role,
      deviceId,
      joinedAt: at,
      joinSeq: seq,
      joinIndex,
      messagesAtJoin: group.messageCount,
    }),
  );
  tx.put(keys.mine(userId, group.groupId), PRESENT);
}

async function part(tx: KvTx, group: GroupRecord, userId: string): Promise<boolean> {
  const k = keys.member(group.groupId, userId);
  if ((await tx.get(k)) === undefined) return false;
  tx.delete(k);
  tx.delete(keys.mine(userId, group.groupId));
  return true;
}

async function setRole(tx: KvTx, groupId: string, userId: string, role: GroupRole): Promise<void> {
  const raw = await tx.get(keys.member(groupId, userId));
  if (raw) tx.put(keys.member(groupId, userId), groupMemberRecord.encode({ ...groupMemberRecord.decode(raw), role }));
}

type Left = Extract<GroupEvent, { type: 'GroupMemberRemoved' | 'GroupMemberLeft' }>;
type Unseen = Extract<GroupEvent, { type: 'GroupMessageDeleted' | 'GroupMessageHidden' }>;

async function memberGone(event: Left, commit: StoredCommit, tx: KvTx): Promise<void> {
  const d = event.data;
  const group = await readGroup(tx, d.groupId);
  const gone = (await part(tx, group, d.userId)) ? 1 : 0;
  const newOwner = event.type === 'GroupMemberLeft' ? event.data.newOwnerUserId : undefined;
  if (newOwner !== undefined) await setRole(tx, d.groupId, newOwner, 'owner');
  const memberCount = group.memberCount - gone;
  const ownerUserId = memberCount === 0 ? '' : (newOwner ?? group.ownerUserId);
  touch(tx, { ...group, memberCount, ownerUserId }, commit.seq, d.at);
}

async function messageUnseen(event: Unseen, _commit: StoredCommit, tx: KvTx): Promise<void> {
  const d = event.data;
  const raw = await tx.get(keys.message(d.messageId));
  if (!raw) return;
  const record = groupMessageIndexRecord.decode(raw);
  const next =
    event.type === 'GroupMessageDeleted'
      ? { ...record, deleted: true }
      : { ...record, hiddenFor: [...new Set([...(record.hiddenFor ?? []), event.data.userId])] };
  tx.put(keys.message(d.messageId), groupMessageIndexRecord.encode(next));
}

export function groupsProjection(kv: KvStore): Projection<KvTx> {
  return defineProjection<GroupEvent, KvTx>({
    name: 'groups',
    stream: STREAMS.messages,
    target: new KvProjectionTarget(kv, keys.prefixes),
    on: {
      GroupCreated: ({ data: d }, { seq }, tx) => {
        const group: GroupRecord = {
          groupId: d.groupId,
          name: d.name,
          creatorUserId: d.ownerUserId,
          ownerUserId: d.ownerUserId,
          createdAt: d.at,
          updatedAt: d.at,
          lastSeq: seq,
          memberCount: d.members.length,
          messageCount: 0,
          lastMessageSeq: 0,
        };
        tx.putRecord(keys.group(d.groupId), groupRecord, group);
        for (const [i, m] of d.members.entries()) join(tx, group, m.userId, m.role, '', seq, i, d.at);
      },
      GroupMemberAdded: async ({ data: d }, { seq }, tx) => {
        const group = await readGroup(tx, d.groupId);
        const fresh = (await part(tx, group, d.userId)) ? 0 : 1;
        touch(tx, { ...group, memberCount: group.memberCount + fresh }, seq, d.at);
        join(tx, group, d.userId, d.role, d.deviceId, seq, 0, d.at);
      },
      GroupMemberRemoved: memberGone,
      GroupMemberLeft: memberGone,
      GroupMessageSent: async ({ data: d }, { seq }, tx) => {
        const group = await readGroup(tx, d.groupId);
        touch(tx, { ...group, messageCount: group.messageCount + 1, lastMessageSeq: seq }, seq, d.at);
        tx.put(
          keys.message(d.messageId),
          groupMessageIndexRecord.encode({ groupId: d.groupId, seq, at: d.at, senderUserId: d.senderUserId }),
        );
      },
      GroupMessageDeleted: messageUnseen,
      GroupMessageHidden: messageUnseen,
      // A read receipt moves the member's read position (never back); it is not activity in the group list.
      GroupMessagesRead: async ({ data: d }, _commit, tx) => {
        const raw = await tx.get(keys.member(d.groupId, d.readerUserId));
        if (!raw) return;
        const member = groupMemberRecord.decode(raw);
        if ((member.readUpTo ?? 0) < d.uptoSeq)
          tx.put(keys.member(d.groupId, d.readerUserId), groupMemberRecord.encode({ ...member, readUpTo: d.uptoSeq }));
      },
    },
  });
}
