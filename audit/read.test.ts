/**
 * readWindow with a synchronous onMessage and with one that answers promises
 * reads the same messages in the same order, stops where asked, passes a
 * failure of onMessage on, and leaves no consumer behind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from '../streams/log.ts';
import { natsRangeReader } from '../streams/range-reader.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { STREAMS } from '../streams/subjects.ts';
import { readWindow } from './read.ts';
import { seedConversations } from './fixtures.ts';
import { parseWindow } from './window.ts';

describe('readWindow', () => {
  let nats: TestNatsServer;
  let log: EventLog;

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    await seedConversations(log, 3, 4); // 12 commits
  });
  after(async () => {
    await log?.close();
    await nats?.stop();
  });

  const consumers = async () => (await log.jsm.streams.info(STREAMS.messages)).state.consumer_count;
  const read = async (
    sync: boolean,
    options: { from?: string; to?: string; stopAfter?: number; throwAt?: number } = {},
  ) => {
    const seen: number[] = [];
    const reader = natsRangeReader(log);
    await readWindow(
      reader,
      { stream: STREAMS.messages, window: parseWindow(options.from, options.to), batch: 4 },
      (m) => {
        const answer = () => {
          if (m.seq === options.throwAt) throw new Error(`onMessage failed at ${m.seq}`);
          seen.push(m.seq);
          return options.stopAfter === undefined || seen.length < options.stopAfter;
        };
        if (sync) return answer();
        return new Promise<boolean>((resolve, reject) =>
          setImmediate(() => {
            try {
              resolve(answer());
            } catch (err) {
              reject(err);
            }
          }),
        );
      },
    );
    return seen;
  };

  for (const sync of [false, true]) {
    it(`${sync ? 'synchronous' : 'promised'}: every message of a window in order, an early stop, a failure`, async () => {
      assert.deepEqual(await read(sync), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      assert.deepEqual(await read(sync, { from: '4', to: '9' }), [4, 5, 6, 7, 8, 9]);
      assert.deepEqual(await read(sync, { stopAfter: 3 }), [1, 2, 3]);
      await assert.rejects(read(sync, { throwAt: 5 }), /onMessage failed at 5/);
      // The consumer of each read is deleted (ordered consumers are ephemeral: wait for the server to show it).
      const deadline = Date.now() + 30_000;
      while ((await consumers()) !== 0 && Date.now() < deadline) await sleep(50);
      assert.equal(await consumers(), 0);
    });
  }
});
