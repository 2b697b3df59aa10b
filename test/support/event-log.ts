/**
 * Opening the event log for a look at the stream (its subjects, its last
 * sequence, its commits) from a test, through streams/ like any other part.
 */
import { after, before } from 'node:test';
import { silentLogger } from '../../runtime/logger.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import type { Commit } from '../../streams/envelope.ts';
import { GENESIS } from '../../streams/hash-chain.ts';
import { EventLog, type AppendOutcome } from '../../streams/log.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { withNatsServer, type TestNatsServer } from './nats.ts';

/** Runs `look` with an event log connected to `natsUrl`, closed afterwards. */
export async function withEventLog<T>(natsUrl: string, look: (log: EventLog) => Promise<T>): Promise<T> {
  const log = await EventLog.connect(natsUrl, eventRegistry, silentLogger, 'guardyn-test');
  try {
    return await look(log);
  } finally {
    await log.close();
  }
}

/**
 * A suite's own nats-server with the event log connected and its streams made: `receive` gets both
 * once they are up (and may seed the log); both end after the suite.
 */
export function useEventLog(
  receive: (started: { nats: TestNatsServer; log: EventLog }) => void | Promise<void>,
  options: { binary?: string } = {},
): void {
  let nats: TestNatsServer | undefined;
  let log: EventLog | undefined;
  before(async () => {
    nats = await withNatsServer(options);
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    await receive({ nats, log });
  });
  after(async () => {
    await log?.close();
    await nats?.stop();
  });
}

/**
 * The smallest commit the tests write: a system command claiming a username for `userId` (one
 * UsernameClaimed event, no actor).
 */
export function claimCommit(userId: string, commandId: string): Commit {
  return {
    commandId,
    command: 'ClaimUsername',
    correlationId: 'c',
    causationId: 'c',
    actor: null,
    at: 1,
    events: [{ type: 'UsernameClaimed', data: { userId, at: 1 } }],
  };
}

/** Appends a claim (claimCommit) as the first commit of `subject` on the ACCOUNTS stream. */
export function appendClaim(log: EventLog, subject: string, commandId: string, userId: string): Promise<AppendOutcome> {
  return log.append({
    stream: STREAMS.accounts,
    subject,
    expectedSeq: 0,
    prev: GENESIS,
    commit: claimCommit(userId, commandId),
  });
}
