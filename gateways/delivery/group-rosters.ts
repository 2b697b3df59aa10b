/**
 * Who is a member of each group at the point of the MESSAGES stream that live
 * delivery has reached, for the gateway process that hands group messages to
 * its connected devices without waiting for any view.
 *
 * A group created while the process follows the stream is known from its
 * GroupCreated commit; any other group is loaded from its aggregate (the same
 * state the command handler authorizes sends with: the group's own commits,
 * resumed from its snapshot) the first time one of its messages comes by. The
 * aggregate is as of now, which may be past the message; the membership
 * changes between the message and now are read back from the group's subject
 * and undone, so the roster is exactly the one at the message: a member
 * removed before it does not get it, one added after it does not either.
 * From then on the membership events the stream brings keep it current.
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { GroupEvent } from '../../commands/group/decider.ts';

export interface RosterSource {
  /** The group's members as of its last commit, and that commit's stream sequence. */
  load(groupId: string): Promise<{ readonly members: Iterable<string>; readonly seq: number }>;
  /** The group's commits with seq >= fromSeq, in order. */
  commitsFrom(groupId: string, fromSeq: number): AsyncIterable<StoredCommit>;
}

/** Groups whose rosters are kept; beyond it the least recently used is dropped (and loaded again when needed). */
export const MAX_ROSTERS = 10_000;

type MembershipEvent = Extract<
  GroupEvent,
  { type: 'GroupCreated' | 'GroupMemberAdded' | 'GroupMemberRemoved' | 'GroupMemberLeft' }
>;

function isMembership(event: { readonly type: string }): event is MembershipEvent {
  return (
    event.type === 'GroupCreated' ||
    event.type === 'GroupMemberAdded' ||
    event.type === 'GroupMemberRemoved' ||
    event.type === 'GroupMemberLeft'
  );
}

export class GroupRosters {
  private readonly rosters = new Map<string, Set<string>>();

  constructor(
    private readonly source: RosterSource,
    private readonly max = MAX_ROSTERS,
  ) {}

  /** Applies an event seen in stream order (membership changes of known groups; a new group becomes known). */
  apply(event: { readonly type: string; readonly data: unknown }): void {
    if (!isMembership(event)) return;
    if (event.type === 'GroupCreated') {
      this.remember(event.data.groupId, new Set(event.data.members.map((m) => m.userId)));
      return;
    }
    const roster = this.rosters.get(event.data.groupId);
    if (roster === undefined) return;
    if (event.type === 'GroupMemberAdded') roster.add(event.data.userId);
    else roster.delete(event.data.userId);
  }

  /** The members of `groupId` at stream sequence `seq` (a message there, met in stream order). */
  async membersAt(groupId: string, seq: number): Promise<ReadonlySet<string>> {
    const known = this.rosters.get(groupId);
    if (known !== undefined) {
      this.rosters.delete(groupId);
      this.rosters.set(groupId, known);
      return known;
    }
    const now = await this.source.load(groupId);
    const roster = new Set(now.members);
    if (now.seq > seq) {
      const later: MembershipEvent[] = [];
      for await (const commit of this.source.commitsFrom(groupId, seq + 1)) {
        if (commit.seq > now.seq) break;
        for (const e of commit.events) if (isMembership(e as GroupEvent)) later.push(e as MembershipEvent);
      }
      for (const e of later.reverse()) {
        if (e.type === 'GroupMemberAdded') roster.delete(e.data.userId);
        else if (e.type === 'GroupMemberRemoved' || e.type === 'GroupMemberLeft') roster.add(e.data.userId);
      }
    }
    this.remember(groupId, roster);
    return roster;
  }

  private remember(groupId: string, roster: Set<string>): void {
    this.rosters.delete(groupId);
    this.rosters.set(groupId, roster);
    if (this.rosters.size > this.max) this.rosters.delete(this.rosters.keys().next().value!);
  }
}
