/**
 * Opening the event log for a look at the stream (its subjects, its last
 * sequence, its commits) from a test, through streams/ like any other part.
 */
import { after, before } from 'node:test';
import { silentLogger } from '../../runtime/logger.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { EventLog } from '../../streams/log.ts';
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
