/**
 * Fault test of the ScyllaDB (CQL) timeline adapter: the real ProjectionRunner projects the
 * MESSAGES stream (a private nats-server) into the timeline view in Cassandra, and Cassandra is
 * killed (SIGKILL) in the middle of a batch and started again on the same data. The runner
 * retries the batch's write until Cassandra answers again (nothing is acknowledged before), and
 * afterwards the view equals a rebuild of the same stream into a fresh keyspace, with the
 * checkpoint at the stream's last commit.
 *
 * It starts Cassandra of its own (it kills it), so it skips without Cassandra (see
 * ops/install-cassandra.sh) and unless GUARDYN_TEST_CASSANDRA_RESTART=1: two Cassandra starts
 * can pass the 180 s a test file gets in `npm test` on two busy cores. `npm run test:production`
 * and `npm run test:cassandra` run it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { cassandraMissing, startCassandra, type LocalCassandra } from '../../ops/cassandra/local-server.ts';
import { CassandraTimelineStore, type CassandraTimelineOptions } from './cassandra.ts';
import type { TimelineStore } from './port.ts';
import { withNatsServer, type TestNatsServer } from '../../test/support/nats.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { seedConversations } from '../../audit/fixtures.ts';
import { ProjectionRunner } from '../../projections/runtime/runner.ts';
import { rebuildView } from '../../projections/runtime/rebuild.ts';
import { timelineProjection } from '../../projections/timeline/projector.ts';
import { silentLogger } from '../../runtime/logger.ts';

const CONVERSATIONS = 6;
const MESSAGES = 50;
const BATCH = 15;
/** Cassandra is killed while the batch holding this commit is being written. */
const KILL_AT = 8 * BATCH;

async function viewOf(store: TimelineStore, partitions: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of partitions) {
    let before: number | undefined;
    for (;;) {
      const page = await store.page(p, before === undefined ? { limit: 37 } : { limit: 37, before });
      for (const r of page.rows)
        out.push(`${r.partition}/${r.position}/${r.time}/${Buffer.from(r.value).toString('base64')}`);
      if (page.next === undefined) break;
      before = page.next;
    }
  }
  return out;
}

const missing =
  cassandraMissing() ??
  (process.env['GUARDYN_TEST_CASSANDRA_RESTART'] === '1'
    ? undefined
    : 'set GUARDYN_TEST_CASSANDRA_RESTART=1 (or run `npm run test:production`): it starts Cassandra twice, too slow for the 180 s per file of `npm test` on a busy machine');
if (missing !== undefined) {
  describe('Cassandra timeline across a Cassandra restart', () => {
    it(`skipped: ${missing}`, { skip: missing }, () => {});
  });
} else {
  describe('Cassandra timeline across a Cassandra restart', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-cassandra-restart-'));
    let server: LocalCassandra | undefined;
    let nats: TestNatsServer | undefined;
    let log: EventLog | undefined;
    let partitions: string[] = [];
    const stores: CassandraTimelineStore[] = [];
    before(
      async () => {
        nats = await withNatsServer();
        log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
        await log.ensureStreams();
        partitions = (await seedConversations(log, CONVERSATIONS, MESSAGES)).ids;
        server = await startCassandra({ dataDir, startTimeoutMs: 300_000 });
      },
      { timeout: 320_000 },
    );
    after(
      async () => {
        for (const s of stores) await s.close().catch(() => undefined);
        await log?.close();
        await nats?.stop();
        await server?.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
      { timeout: 60_000 },
    );
    const open = async (keyspace: string): Promise<CassandraTimelineStore> => {
      const options: CassandraTimelineOptions = {
        contactPoints: [server!.contactPoint],
        localDataCenter: server!.localDataCenter,
        keyspace,
        bucketMs: 60_000,
      };
      const store = await CassandraTimelineStore.open(options);
      stores.push(store);
      return store;
    };

    it('the projection runner, with Cassandra killed mid-batch, retries and ends equal to a rebuild', {
      timeout: 600_000,
    }, async () => {
      const s = server!;
      const events = log!;
      const last = await events.lastSeq(STREAMS.messages);
      assert.equal(last, CONVERSATIONS * MESSAGES);
      const store = await open('restart_view');
      let failedWrites = 0;
      let lastFailure = '';
      // Counts the runner's "view store write failed; retrying" errors.
      const logger = pino(
        { level: 'error' },
        {
          write: (line: string) => {
            if (!line.includes('view store write failed')) return;
            failedWrites += 1;
            lastFailure = String((JSON.parse(line) as { err?: unknown }).err);
          },
        },
      );
      const firstPid = s.pid;
      let restart: Promise<void> | undefined;
      let restartError: unknown;
      const runner = new ProjectionRunner(events, timelineProjection(store, events), logger, {
        batchSize: BATCH,
        // Projected into the open batch; the kill lands while that batch is written.
        afterProject: (seq) => {
          if (seq !== KILL_AT || restart !== undefined) return;
          restart = new Promise((r) => setImmediate(r))
            .then(() => s.restart({ graceful: false }))
            .catch((e: unknown) => {
              restartError = e;
            });
        },
      });
      await runner.start();
      try {
        const deadline = Date.now() + 300_000;
        while (!(await runner.waitFor(last, 1000))) {
          if (restartError !== undefined) throw new Error(`Cassandra did not start again: ${String(restartError)}`);
          assert.ok(
            Date.now() < deadline,
            `the view did not catch up: ${await runner.applied()} of ${last} after ${failedWrites} failed writes, the last: ${lastFailure}`,
          );
        }
      } finally {
        await runner.stop();
      }
      await restart;
      assert.ok(restart !== undefined, 'Cassandra was killed');
      assert.notEqual(s.pid, firstPid, 'Cassandra was restarted');
      assert.ok(failedWrites > 0, 'the runner saw the crash');
      assert.equal(await store.checkpoint('timeline'), last);

      const fresh = await open('restart_rebuild');
      await rebuildView(events, { ...timelineProjection(fresh, events), name: 'timeline_rebuild' }, silentLogger);
      const [view, rebuilt] = [await viewOf(store, partitions), await viewOf(fresh, partitions)];
      assert.equal(rebuilt.length, CONVERSATIONS * MESSAGES);
      assert.deepEqual(view, rebuilt);
    });
  });
}
