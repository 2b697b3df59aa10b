import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withNatsServer, type TestNatsServer } from '../../test/support/nats.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { commitSource } from '../../streams/commit-follower.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { Commit } from '../../streams/envelope.ts';
import type { DomainEvent } from '../../streams/events/registry.ts';
import { CachedSessionCheck, type SessionStatus } from './session-check.ts';
import { SessionEndingsWatcher } from './session-endings.ts';
import { UserDirectory } from '../../commands/account/user-directory.ts';

/** A sessions view that lags: it still says every session is active (the projection has not applied the ending). */
const staleView = { status: async (): Promise<SessionStatus> => 'active' };
const unusedLog = {
  status: async (): Promise<SessionStatus> => assert.fail('the log was asked about a session the view knows'),
};

async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe('session endings on the log reach a watched session check at once', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let watcher: SessionEndingsWatcher;
  let check: CachedSessionCheck;
  let directory: UserDirectory;
  /** The users view, lagging too: it still has every user. */
  const usersView = { has: async () => true, idByUsername: async () => undefined };
  const seqs = new Map<string, number>();

  /** Appends one commit of the account decider's shape on the user's subject. */
  async function commit(userId: string, events: DomainEvent[]): Promise<number> {
    const subject = subjects.user(userId);
    const last = await log.last(STREAMS.accounts, subject);
    const body: Commit = {
      commandId: randomUUID(),
      command: 'Test',
      correlationId: 'c',
      causationId: 'c',
      actor: null,
      at: Date.now(),
      events,
    };
    const outcome = await log.append({
      stream: STREAMS.accounts,
      subject,
      commit: body,
      expectedSeq: last?.seq ?? 0,
      prev: last?.hash ?? '0'.repeat(64),
    });
    assert.equal(outcome.kind, 'appended');
    seqs.set(userId, outcome.seq);
    return outcome.seq;
  }

  const started = (userId: string, sessionId: string, deviceId: string): DomainEvent => ({
    type: 'SessionStarted',
    data: {
      userId,
      sessionId,
      deviceId,
      refreshTokenHash: 'a'.repeat(64),
      expiresAt: Date.now() + 86_400_000,
      at: Date.now(),
    },
  });
  const revoked = (userId: string, sessionId: string, reason: string): DomainEvent => ({
    type: 'SessionRevoked',
    data: { userId, sessionId, reason, at: Date.now() },
  });

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    // An hour-long cache: only the watcher can make a revocation take effect within the test.
    check = new CachedSessionCheck(staleView, unusedLog, { ttlMs: 3_600_000, watchedTtlMs: 3_600_000 });
    directory = new UserDirectory(log, usersView);
    // As bin/session-check.ts wires it: the session check and the user directory told by one watcher.
    const sink = {
      ended: (sessionId: string, userId: string) => check.ended(sessionId, userId),
      userGone: (userId: string) => {
        check.userGone(userId);
        directory.userGone(userId);
      },
      watching: (on: boolean) => {
        check.watching(on);
        directory.watching(on);
      },
    };
    watcher = new SessionEndingsWatcher(commitSource(log, STREAMS.accounts, 'accounts.user.*'), sink, silentLogger);
    await watcher.start();
  });
  after(async () => {
    await watcher?.stop();
    await log?.close();
    await nats?.stop();
  });

  it("a logged-out session is refused, the user's other sessions are not", async () => {
    const user = randomUUID();
    await commit(user, [started(user, 's-phone', 'd-phone'), started(user, 's-laptop', 'd-laptop')]);
    assert.equal(await check.isActive('s-phone', user), true);
    assert.equal(await check.isActive('s-laptop', user), true);
    await commit(user, [revoked(user, 's-phone', 'logout')]);
    await eventually('the logged-out session refused', async () => !(await check.isActive('s-phone', user)));
    assert.equal(await check.isActive('s-laptop', user), true);
  });

  it('a revoked device is refused (its sessions end in the revocation commit)', async () => {
    const user = randomUUID();
    await commit(user, [started(user, 's-old', 'd-old'), started(user, 's-new', 'd-new')]);
    assert.equal(await check.isActive('s-old', user), true);
    await commit(user, [
      revoked(user, 's-old', 'device-revoked'),
      { type: 'DeviceRevoked', data: { userId: user, deviceId: 'd-old', at: Date.now() } },
    ]);
    await eventually("the revoked device's session refused", async () => !(await check.isActive('s-old', user)));
    assert.equal(await check.isActive('s-new', user), true);
  });

  it('a deleted account is refused, even a session the deletion did not name', async () => {
    const user = randomUUID();
    await commit(user, [started(user, 's-1', 'd-1')]);
    assert.equal(await check.isActive('s-1', user), true);
    assert.equal(await check.isActive('s-expired', user), true, 'the stale view says so');
    assert.equal(await directory.exists(user), true);
    const seq = await commit(user, [
      revoked(user, 's-1', 'account-deleted'),
      { type: 'DeviceRevoked', data: { userId: user, deviceId: 'd-1', at: Date.now() } },
      { type: 'AccountDeleted', data: { userId: user, at: Date.now() } },
    ]);
    await eventually('the watcher past the deletion', async () => watcher.position >= seq);
    assert.equal(await check.isActive('s-1', user), false);
    assert.equal(await check.isActive('s-expired', user), false);
    assert.equal(
      await directory.exists(user),
      false,
      'a deleted user is no recipient any more, though the users view still has it',
    );
  });
});
