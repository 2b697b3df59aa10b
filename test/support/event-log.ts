/**
 * Opening the event log for a look at the stream (its subjects, its last
 * sequence, its commits) from a test, through streams/ like any other part.
 */
import { silentLogger } from '../../runtime/logger.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { EventLog } from '../../streams/log.ts';

/** Runs `look` with an event log connected to `natsUrl`, closed afterwards. */
export async function withEventLog<T>(natsUrl: string, look: (log: EventLog) => Promise<T>): Promise<T> {
  const log = await EventLog.connect(natsUrl, eventRegistry, silentLogger, 'guardyn-test');
  try {
    return await look(log);
  } finally {
    await log.close();
  }
}
