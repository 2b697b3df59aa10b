/**
 * Keeps a process's session check current from the log: follows the users'
 * subjects of the ACCOUNTS stream from the head at start, and tells the check
 * of every session ending as soon as its commit is read (SessionRevoked: a
 * logout, a revoked device's sessions, a reused refresh token, a deleted
 * account's sessions; AccountDeleted: every session of the user). So a
 * revocation made by any process is refused here within the follower's lag,
 * without the sessions view, and the check may keep active answers longer
 * (session-check.ts, `watchedTtlMs`).
 *
 * While the follower runs the check is told `watching(true)`; when it fails,
 * `watching(false)` (active answers fall back to the short TTL) until it
 * follows again from where it stopped, so no ending is skipped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { CommitSource, CommitStream } from '../../streams/commit-follower.ts';

/** What the watcher tells: a CachedSessionCheck. */
export interface SessionEndingsSink {
  ended(sessionId: string, userId: string): void;
  userGone(userId: string): void;
  watching(on: boolean): void;
}

const RETRY_MS = 1000;

export class SessionEndingsWatcher {
  private stream: CommitStream | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private positionSeq = 0;

  /** `source`: the ACCOUNTS stream's users' subjects (`accounts.user.>`). */
  constructor(
    private readonly source: CommitSource,
    private readonly sink: SessionEndingsSink,
    private readonly logger: Logger,
  ) {}

  /** Follows from the stream's head now: endings committed before are the sessions view's to tell. */
  async start(): Promise<void> {
    this.positionSeq = await this.source.head();
    this.running = this.run();
  }

  /** The last stream sequence read. */
  get position(): number {
    return this.positionSeq;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sink.watching(false);
    await this.stream?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const stream = (this.stream = this.source.follow(this.positionSeq));
      this.sink.watching(true);
      try {
        for await (const { seq, commit } of stream) {
          if (this.stopped) break;
          if (commit !== undefined) {
            for (const event of commit.events) {
              if (event.type === 'SessionRevoked') {
                const data = event.data as { readonly userId: string; readonly sessionId: string };
                this.sink.ended(data.sessionId, data.userId);
              } else if (event.type === 'AccountDeleted') {
                this.sink.userGone((event.data as { readonly userId: string }).userId);
              }
            }
          }
          this.positionSeq = seq;
        }
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn(
          { err: (err as Error).message, position: this.positionSeq },
          'session endings follower failed: following again',
        );
      }
      this.sink.watching(false);
      await stream.close().catch(() => undefined);
      if (!this.stopped) await sleep(RETRY_MS);
    }
  }
}
