/**
 * Who exists, for commands: the users view first (fast, local), then the
 * ACCOUNTS stream itself for a user the view has not caught up with yet.
 */
import { STREAMS, subjects } from '../streams/subjects.ts';
import type { EventLog } from '../streams/log.ts';
import type { UsersView } from '../projections/users/queries.ts';

export class UserDirectory {
  constructor(private readonly log: EventLog, private readonly users: UsersView) {}

  /** True when the user registered and was not deleted (view, else stream). */
  async exists(userId: string): Promise<boolean> {
    if (await this.users.has(userId)) return true;
    const subject = subjects.user(userId);
    const first = await this.log.readSubject(STREAMS.accounts, subject).next();
    if (first.done || !first.value.events.some((e) => e.type === 'UserRegistered')) return false;
    // Nothing but the key-destruction audit follows a deletion, so the last commit tells.
    const last = await this.log.last(STREAMS.accounts, subject);
    return !last?.events.some((e) => e.type === 'AccountDeleted' || e.type === 'UserDataKeyDestroyed');
  }

  /** The user id holding a username (case-insensitive), read from the claim on the stream. */
  async idByUsername(username: string): Promise<string | undefined> {
    const fromView = await this.users.idByUsername(username);
    if (fromView) return fromView;
    const claim = await this.log.last(STREAMS.accounts, subjects.username(username));
    const event = claim?.events.find((e) => e.type === 'UsernameClaimed');
    if (!event) return undefined;
    const userId = (event.data as { userId: string }).userId;
    return (await this.exists(userId)) ? userId : undefined;
  }
}
