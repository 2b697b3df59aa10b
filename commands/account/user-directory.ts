/**
 * Who exists, for commands: the users view first (fast, local), then the
 * ACCOUNTS stream itself for a user the view has not caught up with yet.
 *
 * While a watcher of account deletions follows the log (`watching(true)`;
 * the follower of session endings tells `userGone`), a user found to
 * exist is remembered, so SendMessage does not read the view for every
 * recipient; a deleted user is refused at once (deletion is final, even while
 * the view still lags behind it), and an answer read while a deletion arrived
 * is not remembered. Without a watcher every call reads.
 */
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { EventLog } from '../../streams/log.ts';
import { setBounded } from '../../runtime/bounded-map.ts';
import type { UserIndex } from './reads.ts';

/** Most users remembered as existing. */
const KNOWN_USERS = 100_000;

export class UserDirectory {
  private readonly known = new Map<string, true>();
  /** Users the watcher saw deleted. */
  private readonly gone = new Map<string, true>();
  private watched = false;
  /** Counts deletions told: a read that saw it change may predate one. */
  private deletions = 0;

  constructor(
    private readonly log: EventLog,
    private readonly users: UserIndex,
  ) {}

  /** True when the user registered and was not deleted (view, else stream). */
  async exists(userId: string): Promise<boolean> {
    if (this.known.has(userId)) return true;
    if (this.gone.has(userId)) return false;
    const deletionsBefore = this.deletions;
    const found = await this.lookUp(userId);
    if (this.deletions !== deletionsBefore) return found && !this.gone.has(userId);
    if (found && this.watched) setBounded(this.known, userId, true, KNOWN_USERS);
    return found;
  }

  /** The watcher read the user's AccountDeleted: the user exists no more. */
  userGone(userId: string): void {
    this.deletions++;
    this.known.delete(userId);
    setBounded(this.gone, userId, true, KNOWN_USERS);
  }

  /** Whether a watcher of account deletions follows the log now; when it stops, nothing is remembered. */
  watching(on: boolean): void {
    this.watched = on;
    if (!on) this.known.clear();
  }

  private async lookUp(userId: string): Promise<boolean> {
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
