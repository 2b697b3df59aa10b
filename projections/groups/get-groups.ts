/**
 * GetGroups and GetGroupById: the caller's groups, newest activity first, by
 * cursor; one group by id. Members only: a group the caller does not belong to
 * is NOT_FOUND, exactly like an unknown one, so ids reveal nothing.
 *
 * The membership check reads the groups view. A client that just created or
 * joined a group may ask before the view has applied that commit: on a miss
 * the read waits (bounded by the min_seq wait) for the view to reach the
 * stream's last sequence and looks again, so clients that do not pass min_seq
 * read their own writes too.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../commands/handler/decider.ts';
import { type ProjectionProgress, waitForMinSeq } from '../query/progress.ts';
import type { TimelineView } from '../timeline/queries.ts';
import type { MessageRecord } from '../timeline/schema.ts';
import type { UsersView } from '../users/queries.ts';
import type { GroupsView, RecentPosition } from './queries.ts';
import type { GroupMemberRecord, GroupRecord } from './schema.ts';

export interface GroupReadDeps {
  readonly groups: GroupsView;
  readonly timeline: TimelineView;
  readonly users: Pick<UsersView, 'usernamesOf'>;
  /** Progress of the groups view; undefined: no waiting. */
  readonly groupsProgress: ProjectionProgress | undefined;
  /** Progress of the timeline view; undefined: no waiting. */
  readonly timelineProgress: ProjectionProgress | undefined;
  /** The MESSAGES stream's last sequence (for the wait on a membership miss). */
  readonly lastSeq: () => Promise<number>;
  readonly minSeqWaitMs: number;
}

/** GetGroups lists at most this many members per group (member_count is exact; GetGroupById lists all). */
export const MAX_LISTED_MEMBERS = 100;

export interface GroupMemberView extends GroupMemberRecord {
  /** '' when the users view does not know the user (deleted, or not applied yet). */
  readonly username: string;
}

export interface GroupMessageView extends MessageRecord {
  readonly senderUsername: string;
}

export interface GroupView {
  readonly group: GroupRecord;
  /** Owner first, then admins, then members, each longest-standing first. */
  readonly members: GroupMemberView[];
  /** The newest message the caller may see (none from before the caller joined). */
  readonly lastMessage: GroupMessageView | undefined;
}

export const groupNotFound = domainError('NOT_FOUND', 'group not found', 'group_id');

const progressOf = (deps: GroupReadDeps, ...which: ('groups' | 'timeline')[]) =>
  which
    .map((w) => (w === 'groups' ? deps.groupsProgress : deps.timelineProgress))
    .filter((p): p is ProjectionProgress => p !== undefined);

/** The group and the caller's member record; on a miss, after a bounded wait for the view to catch up with the stream. */
export async function membershipOf(
  deps: GroupReadDeps,
  groupId: string,
  userId: string,
): Promise<{ group: GroupRecord; member: GroupMemberRecord } | undefined> {
  let found = await deps.groups.groupOf(groupId, userId);
  const progress = deps.groupsProgress;
  if (found.member === undefined && progress !== undefined && deps.minSeqWaitMs > 0) {
    const last = await deps.lastSeq();
    if ((await progress.applied()) < last) {
      await progress.waitFor(last, deps.minSeqWaitMs);
      found = await deps.groups.groupOf(groupId, userId);
    }
  }
  const { group, member } = found;
  return group !== undefined && member !== undefined ? { group, member } : undefined;
}

const ROLE_ORDER = { owner: 0, admin: 1, member: 2 } as const;

function byRoleThenJoin(a: GroupMemberRecord, b: GroupMemberRecord): number {
  return ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.joinSeq - b.joinSeq || a.joinIndex - b.joinIndex;
}

/** The newest message of the group visible to a member who joined at `joinSeq`. */
async function lastVisible(
  deps: GroupReadDeps,
  group: GroupRecord,
  joinSeq: number,
): Promise<MessageRecord | undefined> {
  if (group.lastMessageSeq <= joinSeq) return undefined;
  const page = await deps.timeline.page(group.groupId, { limit: 1 });
  const newest = page.messages[0];
  return newest !== undefined && newest.seq > joinSeq ? newest : undefined;
}

/** Builds the answers for groups whose members and last messages are read; one username lookup for all. */
async function describe(
  deps: GroupReadDeps,
  items: readonly { group: GroupRecord; members: GroupMemberRecord[]; lastMessage: MessageRecord | undefined }[],
  listed: number,
): Promise<GroupView[]> {
  const ids = new Set<string>();
  const shown = items.map((i) => ({ ...i, members: [...i.members].sort(byRoleThenJoin).slice(0, listed) }));
  for (const i of shown) {
    for (const m of i.members) ids.add(m.userId);
    if (i.lastMessage) ids.add(i.lastMessage.senderUserId);
  }
  const names = ids.size === 0 ? new Map<string, string>() : await deps.users.usernamesOf([...ids]);
  return shown.map((i) => ({
    group: i.group,
    members: i.members.map((m) => ({ ...m, username: names.get(m.userId) ?? '' })),
    lastMessage:
      i.lastMessage === undefined
        ? undefined
        : { ...i.lastMessage, senderUsername: names.get(i.lastMessage.senderUserId) ?? '' },
  }));
}

export interface GetGroupByIdInput {
  readonly callerUserId: string;
  readonly groupId: string;
  readonly minSeq: number;
}

export async function getGroupById(
  deps: GroupReadDeps,
  input: GetGroupByIdInput,
): Promise<Either<DomainError, { group: GroupView; stale: boolean }>> {
  const stale = await waitForMinSeq(progressOf(deps, 'groups', 'timeline'), input.minSeq, deps.minSeqWaitMs);
  const found = await membershipOf(deps, input.groupId, input.callerUserId);
  if (found === undefined) return left(groupNotFound);
  const [members, lastMessage] = await Promise.all([
    deps.groups.members(input.groupId),
    lastVisible(deps, found.group, found.member.joinSeq),
  ]);
  const [group] = await describe(deps, [{ group: found.group, members, lastMessage }], Number.MAX_SAFE_INTEGER);
  return right({ group: group!, stale });
}

/** Cursors of GetGroups: a version tag, the position in the caller's recency index, base64url. */
export const groupsCursor = {
  encode: (p: RecentPosition): string => Buffer.from(`g1:${p.lastSeq}:${p.groupId}`).toString('base64url'),
  decode: (text: string): RecentPosition | undefined => {
    const m = /^g1:(\d{1,16}):([0-9a-f-]{36})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
    const lastSeq = m ? Number(m[1]) : NaN;
    return m && Number.isSafeInteger(lastSeq) && lastSeq > 0 ? { lastSeq, groupId: m[2]! } : undefined;
  },
};

export interface GetGroupsInput {
  readonly callerUserId: string;
  readonly limit: number;
  readonly cursor: string;
  readonly minSeq: number;
}

export interface GetGroupsResult {
  readonly groups: GroupView[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly stale: boolean;
}

export async function getGroups(
  deps: GroupReadDeps,
  input: GetGroupsInput,
): Promise<Either<DomainError, GetGroupsResult>> {
  let after: RecentPosition | undefined;
  if (input.cursor) {
    after = groupsCursor.decode(input.cursor);
    if (after === undefined)
      return left(domainError('INVALID_REQUEST', 'invalid request: cursor is not one this server issued', 'cursor'));
  }
  const stale = await waitForMinSeq(progressOf(deps, 'groups', 'timeline'), input.minSeq, deps.minSeqWaitMs);
  const page = await deps.groups.recentOf(input.callerUserId, input.limit, after);
  const records = await deps.groups.groups(page.groups.map((g) => g.groupId));
  const items = await Promise.all(
    records.map(async (group) => {
      if (group === undefined) return undefined;
      const members = await deps.groups.members(group.groupId);
      // The view may have moved on between the reads: list only groups the caller still belongs to.
      const me = members.find((m) => m.userId === input.callerUserId);
      if (me === undefined) return undefined;
      return { group, members, lastMessage: await lastVisible(deps, group, me.joinSeq) };
    }),
  );
  const groups = await describe(
    deps,
    items.filter((i) => i !== undefined),
    MAX_LISTED_MEMBERS,
  );
  const last = page.groups[page.groups.length - 1];
  return right({
    groups,
    nextCursor: page.hasMore && last !== undefined ? groupsCursor.encode(last) : '',
    hasMore: page.hasMore,
    stale,
  });
}
