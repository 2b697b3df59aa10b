/** Reads of the groups view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { MAX_SCAN_LIMIT } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import {
  groupIdOfMineKey,
  groupMemberRecord,
  groupMessageIndexRecord,
  groupRecord,
  groupsKeys as keys,
  type GroupMemberRecord,
  type GroupMessageIndexRecord,
  type GroupRecord,
} from './schema.ts';

/** A position in a user's recency index: pass back to read the groups after it. */
export interface RecentPosition {
  readonly lastSeq: number;
  readonly groupId: string;
}

export interface RecentGroupsPage {
  /** The user's groups, newest activity first. */
  readonly groups: RecentPosition[];
  readonly hasMore: boolean;
}

export class GroupsView {
  constructor(private readonly kv: KvStore) {}

  async group(groupId: string): Promise<GroupRecord | undefined> {
    const raw = await this.kv.get(keys.group(groupId));
    return raw ? groupRecord.decode(raw) : undefined;
  }

  async member(groupId: string, userId: string): Promise<GroupMemberRecord | undefined> {
    const raw = await this.kv.get(keys.member(groupId, userId));
    return raw ? groupMemberRecord.decode(raw) : undefined;
  }

  /** A group and the user's member record of it, in one read. */
  async groupOf(
    groupId: string,
    userId: string,
  ): Promise<{ group: GroupRecord | undefined; member: GroupMemberRecord | undefined }> {
    const [group, member] = await this.kv.getMany([keys.group(groupId), keys.member(groupId, userId)]);
    return {
      group: group ? groupRecord.decode(group) : undefined,
      member: member ? groupMemberRecord.decode(member) : undefined,
    };
  }

  /** Groups by id, in the order asked; undefined where unknown. */
  async groups(groupIds: readonly string[]): Promise<(GroupRecord | undefined)[]> {
    if (groupIds.length === 0) return [];
    const raws = await this.kv.getMany(groupIds.map((id) => keys.group(id)));
    return raws.map((raw) => (raw ? groupRecord.decode(raw) : undefined));
  }

  /** The current members of a group (in user id order), at most `limit`. */
  async members(groupId: string, limit = MAX_SCAN_LIMIT): Promise<GroupMemberRecord[]> {
    const prefix = keys.membersOf(groupId);
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit });
    return rows.map((r) => groupMemberRecord.decode(r.value));
  }

  /** The user's groups, newest activity first (by the group's newest commit), strictly after `after` when given. */
  async recentOf(userId: string, limit: number, after?: RecentPosition): Promise<RecentGroupsPage> {
    const ids = await this.groupIdsOf(userId);
    const records = await this.groups(ids);
    const newestFirst = (a: RecentPosition, b: RecentPosition) =>
      b.lastSeq - a.lastSeq || (a.groupId < b.groupId ? 1 : a.groupId > b.groupId ? -1 : 0);
    let positions = records
      .filter((r): r is GroupRecord => r !== undefined)
      .map((r) => ({ lastSeq: r.lastSeq, groupId: r.groupId }))
      .sort(newestFirst);
    if (after !== undefined) positions = positions.filter((p) => newestFirst(after, p) < 0);
    return { groups: positions.slice(0, limit), hasMore: positions.length > limit };
  }

  /** Ids of the groups the user is a member of now (at most `limit`, in id order). */
  async groupIdsOf(userId: string, limit = MAX_SCAN_LIMIT): Promise<string[]> {
    const prefix = keys.mineOf(userId);
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit });
    return rows.map((r) => groupIdOfMineKey(userId, r.key));
  }

  /** Those of `userIds` who are a current member of at least one of `groupIds`. */
  async membersAmong(groupIds: readonly string[], userIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (groupIds.length === 0 || userIds.length === 0) return found;
    const pairs = groupIds.flatMap((g) => userIds.map((u) => ({ g, u })));
    const raws = await this.kv.getMany(pairs.map((p) => keys.member(p.g, p.u)));
    raws.forEach((raw, i) => {
      if (raw !== undefined) found.add(pairs[i]!.u);
    });
    return found;
  }

  async messageById(messageId: string): Promise<GroupMessageIndexRecord | undefined> {
    const raw = await this.kv.get(keys.message(messageId));
    return raw ? groupMessageIndexRecord.decode(raw) : undefined;
  }
}
