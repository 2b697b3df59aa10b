/**
 * The presence engine: makes each user's presence follow reality. Run by every
 * presence process; several may run at once (each decides on the same
 * signals, appends are OCC on presence.user.<id> and idempotent, so the first
 * commits and the others find nothing to change).
 *
 * It follows the ConnectionTracker (streams/connections.ts): a user's first
 * device coming up, the last one ending (also a crashed gateway's devices, once
 * the instance is silent for its timeout) and client activity. From those it
 * decides `Observe` commands (./decider.ts):
 * - ONLINE while a device is connected or heartbeating;
 * - AWAY once the last activity is `awayAfterMs` old (a sweep finds them: no
 *   timer per user);
 * - OFFLINE when the last connection ends or stops beating.
 *
 * At start, the connections the tracker learns in its first `settleMs` are
 * announcers repeating what was already up (a resync), not new activity; after
 * that window the users the presence view still shows present are checked
 * against the connections, so whoever left while no engine ran goes OFFLINE.
 */
import type { Logger } from 'pino';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { ConnectionTracker, DeviceActivity, DeviceChange } from '../../streams/connections.ts';
import type { LivePresence } from '../../streams/events/presence.ts';
import { newId } from '../../runtime/ids.ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../handler/handler.ts';
import { presenceDecider, type ChooseStatus, type PresenceCommand, type PresenceState } from './decider.ts';
import type { PresentUsers } from './reads.ts';

export interface PresenceEngineOptions {
  readonly awayAfterMs: number;
  readonly lastSeenEveryMs: number;
  /** How long after start connection signals count as a resync, not activity (default 1 s). */
  readonly settleMs?: number;
  readonly logger: Logger;
  /** Told of every commit this engine made (e.g. so the feed of this process has it at once). */
  readonly onCommitted?: (userId: string, state: PresenceState, seq: number) => void;
}

interface Followed {
  /** Newest client activity this engine heard of (ms). */
  lastActivity?: number;
  /** When the user's last device went away, as the tracker said. */
  offlineAt?: number;
  /** The live state and last-seen time of the newest decision. */
  live?: LivePresence;
  lastSeen?: number;
}

const PAGE = 500;

export class PresenceEngine {
  private readonly users = new Map<string, Followed>();
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly startedAt = Date.now();
  private readonly settleMs: number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly handler: CommandHandler,
    private readonly tracker: ConnectionTracker,
    private readonly view: PresentUsers,
    private readonly options: PresenceEngineOptions,
  ) {
    this.settleMs = options.settleMs ?? 1000;
  }

  start(): void {
    this.unsubscribe.push(this.tracker.onChange((c) => this.onChange(c)));
    this.unsubscribe.push(this.tracker.onActivity((a) => this.onActivity(a)));
    const every = Math.min(5000, Math.max(50, Math.floor(this.options.awayAfterMs / 4)));
    this.sweepTimer = setInterval(() => this.sweep(), every);
    this.sweepTimer.unref();
    this.settleTimer = setTimeout(
      () =>
        void this.checkPresent().catch((err: Error) =>
          this.options.logger.warn({ err: err.message }, 'presence start check failed'),
        ),
      this.settleMs,
    );
    this.settleTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /**
   * A presence RPC from a device of the user (a heartbeat, a status change, a
   * typing signal): the user is present and active now. Resolves with the
   * user's presence after deciding.
   */
  async touched(userId: string, at = Date.now()): Promise<PresenceState> {
    this.noteActivity(userId, at);
    return this.reconcile(userId, true);
  }

  /** Decides now on what the connections say (e.g. after a device signed off). */
  observe(userId: string): Promise<PresenceState> {
    return this.reconcile(userId, false);
  }

  /** Commits the user's chosen status and custom text (UpdateStatus). */
  async choose(
    command: Omit<ChooseStatus, 'kind'>,
    meta: { correlationId: string; deviceId: string },
  ): Promise<PresenceState> {
    return this.decide({ kind: 'ChooseStatus', ...command }, command.userId, meta.correlationId, {
      userId: command.userId,
      deviceId: meta.deviceId,
    });
  }

  private onChange(c: DeviceChange): void {
    const u = this.followed(c.userId);
    if (c.online) {
      if (Date.now() - this.startedAt >= this.settleMs) this.noteActivity(c.userId, c.at);
    } else {
      u.offlineAt = Math.max(u.offlineAt ?? 0, c.at);
    }
    this.schedule(c.userId);
  }

  private onActivity(a: DeviceActivity): void {
    const u = this.noteActivity(a.userId, a.at);
    const due = u.live !== 'ONLINE' || a.at - (u.lastSeen ?? 0) >= this.options.lastSeenEveryMs;
    if (due) this.schedule(a.userId);
  }

  private noteActivity(userId: string, at: number): Followed {
    const u = this.followed(userId);
    u.lastActivity = Math.max(u.lastActivity ?? 0, at);
    return u;
  }

  private followed(userId: string): Followed {
    let u = this.users.get(userId);
    if (u === undefined) this.users.set(userId, (u = {}));
    return u;
  }

  /** Users whose idle time has run out go AWAY. */
  private sweep(): void {
    const now = Date.now();
    for (const [userId, u] of this.users) {
      if (u.live !== 'ONLINE') continue;
      const last = Math.max(u.lastActivity ?? 0, u.lastSeen ?? 0);
      if (now - last >= this.options.awayAfterMs) this.schedule(userId);
    }
  }

  /** After the start window: every user the view shows present is checked against the connections. */
  private async checkPresent(): Promise<void> {
    let after: string | undefined;
    while (!this.stopped) {
      const page = await this.view.present(PAGE, after);
      for (const userId of page) this.schedule(userId);
      if (page.length < PAGE) return;
      after = page[page.length - 1];
    }
  }

  /** Runs one reconcile of the user at a time; signals arriving meanwhile make it run once more. */
  private schedule(userId: string): void {
    if (this.stopped) return;
    const run = this.running.get(userId);
    if (run !== undefined) {
      run.again = true;
      return;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        await this.reconcile(userId, false).catch((err: Error) =>
          this.options.logger.warn({ err: err.message, userId }, 'presence decision failed'),
        );
      } while (entry.again && !this.stopped);
      this.running.delete(userId);
    })();
    this.running.set(userId, entry);
  }

  private async reconcile(userId: string, present: boolean): Promise<PresenceState> {
    const online = present || this.tracker.isOnline(userId);
    const u = this.followed(userId);
    const at = Date.now();
    const state = await this.decide(
      {
        kind: 'Observe',
        userId,
        online,
        seenAt: online ? u.lastActivity : (u.offlineAt ?? at),
        at,
        awayAfterMs: this.options.awayAfterMs,
        lastSeenEveryMs: this.options.lastSeenEveryMs,
      },
      userId,
      newId(),
      null,
    );
    if (!online && state.live === 'OFFLINE' && !this.tracker.isOnline(userId)) {
      this.users.delete(userId);
    } else {
      u.live = state.live;
      u.lastSeen = state.lastSeen;
    }
    return state;
  }

  private async decide(
    command: PresenceCommand,
    userId: string,
    correlationId: string,
    actor: { userId: string; deviceId: string } | null,
  ): Promise<PresenceState> {
    const subject = subjects.presence(userId);
    const result = await this.handler.handle({
      stream: STREAMS.presence,
      subject,
      decider: presenceDecider,
      command,
      meta: {
        commandId: newId(),
        command: command.kind === 'Observe' ? 'ObservePresence' : 'UpdateStatus',
        correlationId,
        causationId: correlationId,
        actor,
      },
    });
    if (isLeft(result)) throw new Error(`presence decision refused: ${result.left.message}`);
    const last = result.right.events[result.right.events.length - 1];
    if (last !== undefined) {
      const state = presenceDecider.evolve(presenceDecider.initialState, last);
      this.options.onCommitted?.(userId, state, result.right.seq);
      return state;
    }
    return (await this.handler.load(STREAMS.presence, subject, presenceDecider)).state;
  }
}
