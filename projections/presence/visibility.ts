/**
 * Who may see whose presence and typing: a user sees themself, and the users
 * they share a conversation (a 1:1 conversation with at least one message) or
 * a group (both current members) with. Read from the conversations and groups
 * views, and cached for a few seconds per (viewer, subject), so a burst of
 * presence changes costs no reads; a conversation started or a group left
 * counts within `ttlMs` of the views applying it.
 *
 * With the `everyone` policy (GUARDYN_PRESENCE__VISIBILITY=everyone) every
 * registered user's presence is visible to any authenticated user (unknown
 * ids stay hidden, like before); typing is still only for contacts
 * (`areContacts`): a typing signal is a message to someone, not presence.
 */
import { directConversationId } from '../../commands/conversation/decider.ts';
import type { ConversationsView } from '../conversations/queries.ts';
import type { GroupsView } from '../groups/queries.ts';
import type { UsersView } from '../users/queries.ts';
import type { PresenceVisibilityPolicy } from '../../runtime/config.ts';

export interface PresenceVisibilityOptions {
  readonly policy?: PresenceVisibilityPolicy;
  /** Who is registered (needed by the `everyone` policy). */
  readonly users?: Pick<UsersView, 'byIds'>;
  readonly ttlMs?: number;
}

export const VISIBILITY_TTL_MS = 5000;
/** Groups of the viewer looked at (the most recently active first). */
const MAX_GROUPS_CHECKED = 1000;
const MAX_CACHED = 100_000;

export class PresenceVisibility {
  private readonly cache = new Map<string, { readonly visible: boolean; readonly until: number }>();
  private readonly ttlMs: number;
  private readonly users: Pick<UsersView, 'byIds'> | undefined;

  constructor(
    private readonly conversations: ConversationsView,
    private readonly groups: GroupsView,
    options: PresenceVisibilityOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? VISIBILITY_TTL_MS;
    this.users = options.policy === 'everyone' ? options.users : undefined;
    if (options.policy === 'everyone' && options.users === undefined)
      throw new Error('the everyone presence policy needs the users view');
  }

  async canSee(viewerUserId: string, subjectUserId: string): Promise<boolean> {
    return (await this.visibleOf(viewerUserId, [subjectUserId])).has(subjectUserId);
  }

  /** Those of `subjectUserIds` whose presence `viewerUserId` may see (under the policy). */
  async visibleOf(viewerUserId: string, subjectUserIds: readonly string[]): Promise<Set<string>> {
    if (this.users === undefined) return this.contactsOf(viewerUserId, subjectUserIds);
    const ids = [...new Set(subjectUserIds)];
    const records = await this.users.byIds(ids);
    return new Set(ids.filter((id, i) => id === viewerUserId || records[i] !== undefined));
  }

  /** Whether the two users are contacts (share a conversation or a group), whatever the presence policy: who may send typing to whom. */
  async areContacts(viewerUserId: string, subjectUserId: string): Promise<boolean> {
    return (await this.contactsOf(viewerUserId, [subjectUserId])).has(subjectUserId);
  }

  /** Those of `subjectUserIds` who are contacts of `viewerUserId` (or the viewer). */
  private async contactsOf(viewerUserId: string, subjectUserIds: readonly string[]): Promise<Set<string>> {
    const now = Date.now();
    const visible = new Set<string>();
    const unknown: string[] = [];
    for (const subject of new Set(subjectUserIds)) {
      if (subject === viewerUserId) {
        visible.add(subject);
        continue;
      }
      const hit = this.cache.get(`${viewerUserId}|${subject}`);
      if (hit !== undefined && hit.until > now) {
        if (hit.visible) visible.add(subject);
      } else {
        unknown.push(subject);
      }
    }
    if (unknown.length === 0) return visible;
    const exists = await this.conversations.exist(unknown.map((s) => directConversationId(viewerUserId, s)));
    const rest = unknown.filter((_, i) => !exists[i]);
    const inGroups =
      rest.length === 0
        ? new Set<string>()
        : await this.groups.membersAmong(await this.groups.groupIdsOf(viewerUserId, MAX_GROUPS_CHECKED), rest);
    const until = Date.now() + this.ttlMs;
    unknown.forEach((subject, i) => {
      const ok = exists[i] === true || inGroups.has(subject);
      if (ok) visible.add(subject);
      this.remember(`${viewerUserId}|${subject}`, ok, until);
    });
    return visible;
  }

  private remember(k: string, visible: boolean, until: number): void {
    this.cache.delete(k);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(k, { visible, until });
  }
}
