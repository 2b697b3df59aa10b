/**
 * The PresenceFeed (gateways/presence-feed.ts) of one process, over the
 * PRESENCE stream: one follower of `presence.user.>` per process (a
 * CommitSource of streams/commit-follower.ts)
 * (every instance sees every change, in stream order, with its sequence)
 * fans changes out to the watches of this process. No polling: a watch
 * hears of a change when JetStream delivers the commit.
 *
 * Snapshot: the presence view, or the newer record the hub itself saw since
 * it started (the view may lag the stream by a few ms), so a watch that starts
 * between a commit and its projection still starts from the newest state.
 * Each watch then passes on exactly the changes after its snapshot, each once
 * (by stream sequence; a commit that changes nothing the viewer can see, e.g.
 * a last-seen refresh of an invisible user, is not passed on).
 *
 * Privacy: a watch shows only users the viewer may see (projections/presence/
 * visibility.ts), checked at the snapshot and again at each change, so a
 * conversation started (or a group left) counts from then on.
 */
import type { Logger } from 'pino';
import type { CommitSource, CommitStream } from '../streams/commit-follower.ts';
import type { PresenceEvent } from '../commands/presence/decider.ts';
import { shownPresence, UNKNOWN_PRESENCE, type PresenceState } from '../commands/presence/decider.ts';
import type { PresenceView } from '../projections/presence/queries.ts';
import type { PresenceRecord } from '../projections/presence/schema.ts';
import type { PresenceVisibility } from '../projections/presence/visibility.ts';
import type { PresenceFeed, PresenceUpdate, VisibleStatus } from './presence-feed.ts';

/** Records the hub keeps of what it saw (least recently changed forgotten first; the view has them). */
const MAX_LATEST = 50_000;

export const stateOf = (record: PresenceRecord | undefined): PresenceState =>
  record === undefined
    ? UNKNOWN_PRESENCE
    : {
        known: true,
        live: record.live,
        chosen: record.chosen,
        customStatusText: record.customStatusText,
        lastSeen: record.lastSeen,
        updatedAt: record.updatedAt,
      };

/** A user's presence as another user sees it, in the feed's terms. */
export function feedUpdate(userId: string, record: PresenceRecord | undefined): PresenceUpdate {
  const shown = shownPresence(stateOf(record), false);
  const status = shown.status as VisibleStatus;
  return shown.lastSeen === undefined
    ? { userId, status, customStatusText: shown.customStatusText, at: shown.updatedAt }
    : { userId, status, customStatusText: shown.customStatusText, lastSeen: shown.lastSeen, at: shown.updatedAt };
}

const sameShown = (a: PresenceUpdate, b: PresenceUpdate) =>
  a.status === b.status && a.customStatusText === b.customStatusText && a.lastSeen === b.lastSeen;

export class PresenceHub implements PresenceFeed {
  private readonly listeners = new Map<string, Set<(record: PresenceRecord) => void>>();
  private readonly latest = new Map<string, PresenceRecord>();
  private commits: CommitStream | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;

  private constructor(
    private readonly view: PresenceView,
    private readonly visibility: PresenceVisibility,
    private readonly logger: Logger,
  ) {}

  /** `presence`: the users' presence commits (streams/commit-follower.ts over `presence.user.>` of PRESENCE); the hub follows what comes after its head now. */
  static async start(
    presence: CommitSource,
    view: PresenceView,
    visibility: PresenceVisibility,
    logger: Logger,
  ): Promise<PresenceHub> {
    const hub = new PresenceHub(view, visibility, logger);
    const commits = presence.follow(await presence.head());
    hub.commits = commits;
    hub.loop = (async () => {
      for await (const { seq, commit } of commits) {
        if (commit === undefined) {
          logger.warn({ seq }, 'presence commit not understood: skipped');
          continue;
        }
        for (const event of commit.events as readonly PresenceEvent[]) {
          if (event.type !== 'PresenceChanged') continue;
          const { cause: _cause, at: _at, ...state } = event.data;
          hub.offer({ ...state, seq: commit.seq });
        }
      }
    })().catch((err: Error) => {
      if (!hub.stopped) logger.error({ err: err.message }, 'presence feed stopped on an error');
    });
    return hub;
  }

  /**
   * A record newer than what the hub knows (from the stream, or from a command
   * this process just committed): remembered and passed to the watches.
   */
  offer(record: PresenceRecord): void {
    const known = this.latest.get(record.userId);
    if (known !== undefined && known.seq >= record.seq) return;
    this.latest.delete(record.userId);
    if (this.latest.size >= MAX_LATEST) this.latest.delete(this.latest.keys().next().value!);
    this.latest.set(record.userId, record);
    const ls = this.listeners.get(record.userId);
    if (ls !== undefined) for (const l of ls) l(record);
  }

  /** The newest records of the users (the view's, or newer ones this hub saw), in order; undefined: no presence yet. */
  async current(userIds: readonly string[]): Promise<(PresenceRecord | undefined)[]> {
    const stored = await this.view.getMany(userIds);
    return userIds.map((id, i) => {
      const mine = this.latest.get(id);
      const theirs = stored[i];
      return mine !== undefined && (theirs === undefined || mine.seq > theirs.seq) ? mine : theirs;
    });
  }

  async watch(
    viewerUserId: string,
    userIds: readonly string[],
    onUpdate: (update: PresenceUpdate) => void,
  ): Promise<() => void> {
    const ids = [...new Set(userIds)];
    const delivered = new Map<string, { seq: number; shown: PresenceUpdate }>();
    const buffered: PresenceRecord[] = [];
    let snapshotTaken = false;
    let stopped = false;
    // Changes are handled one after another (visibility checks are reads), so a user's order is kept.
    let chain: Promise<void> = Promise.resolve();

    const pass = async (record: PresenceRecord) => {
      if (stopped) return;
      const before = delivered.get(record.userId);
      if (before !== undefined && before.seq >= record.seq) return;
      if (!(await this.visibility.canSee(viewerUserId, record.userId))) return;
      const shown = feedUpdate(record.userId, record);
      delivered.set(record.userId, { seq: record.seq, shown });
      if (before !== undefined && sameShown(before.shown, shown)) return;
      if (!stopped) onUpdate(shown);
    };
    const listener = (record: PresenceRecord) => {
      if (!snapshotTaken) buffered.push(record);
      else
        chain = chain
          .then(() => pass(record))
          .catch((err: Error) => this.logger.warn({ err: err.message }, 'presence watch could not pass a change'));
    };
    for (const id of ids) {
      let set = this.listeners.get(id);
      if (set === undefined) this.listeners.set(id, (set = new Set()));
      set.add(listener);
    }
    const stop = () => {
      stopped = true;
      for (const id of ids) {
        const set = this.listeners.get(id);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(id);
      }
    };
    try {
      const [visible, records] = await Promise.all([this.visibility.visibleOf(viewerUserId, ids), this.current(ids)]);
      ids.forEach((id, i) => {
        if (!visible.has(id)) return;
        const record = records[i];
        const shown = feedUpdate(id, record);
        delivered.set(id, { seq: record?.seq ?? 0, shown });
        onUpdate(shown);
      });
    } catch (err) {
      stop();
      throw err;
    }
    snapshotTaken = true;
    for (const record of buffered.splice(0)) listener(record);
    return stop;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    await this.commits?.close().catch(() => undefined);
    await this.loop;
  }
}
