/**
 * Fault test of the ScyllaDB (CQL) timeline adapter: Cassandra is killed (SIGKILL) and
 * started again on the same data while a projection-like writer is in the middle of its
 * batches. The writer resumes from its checkpoint after each failure, as the projection
 * runner does; afterwards the view equals a rebuild of the same events into a fresh
 * keyspace, and the checkpoint is the last event. Skips without Cassandra (see
 * ops/install-cassandra.sh), and unless GUARDYN_TEST_CASSANDRA_RESTART=1: it starts Cassandra
 * twice, which on two busy cores can pass the 180 s a test file gets in `npm test`
 * (`npm run test:cassandra` runs it with a longer limit).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cassandraMissing, startCassandra, type LocalCassandra } from '../../ops/cassandra/local-server.ts';
import { CassandraTimelineStore, type CassandraTimelineOptions } from './cassandra.ts';
import type { TimelineRow, TimelineStore } from './port.ts';

const EVENTS = 300;
const BATCH = 15;
const PARTITIONS = 6;
const BASE_TIME = 1_700_000_000_000;

/** The row event `seq` projects: deterministic, as a projection's rows are. */
function rowOf(seq: number): TimelineRow {
  const value = Buffer.alloc(1024, seq & 0xff);
  value.write(`event ${seq}`);
  return { partition: `conv-${seq % PARTITIONS}`, position: seq, time: BASE_TIME + seq * 7_000, value };
}

/** Applies events from the store's checkpoint up to EVENTS, one write per batch, rows and checkpoint together. */
async function project(store: TimelineStore, name: string, onBatch?: () => void): Promise<void> {
  for (let from = (await store.checkpoint(name)) + 1; from <= EVENTS; from += BATCH) {
    const to = Math.min(EVENTS, from + BATCH - 1);
    const rows = Array.from({ length: to - from + 1 }, (_, i) => rowOf(from + i));
    onBatch?.();
    await store.write(rows, { name, position: to });
  }
}

async function viewOf(store: TimelineStore): Promise<string[]> {
  const out: string[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    let before: number | undefined;
    for (;;) {
      const page = await store.page(`conv-${p}`, before === undefined ? { limit: 37 } : { limit: 37, before });
      for (const r of page.rows) out.push(`${r.partition}/${r.position}/${r.time}/${Buffer.from(r.value).toString('base64')}`);
      if (page.next === undefined) break;
      before = page.next;
    }
  }
  return out;
}

const missing = cassandraMissing() ?? (process.env['GUARDYN_TEST_CASSANDRA_RESTART'] === '1' ? undefined : 'set GUARDYN_TEST_CASSANDRA_RESTART=1 (or run `npm run test:cassandra`): it starts Cassandra twice, too slow for the 180 s per file of `npm test` on a busy machine');
if (missing !== undefined) {
  describe('Cassandra timeline across a Cassandra restart', () => {
    it(`skipped: ${missing}`, { skip: missing }, () => {});
  });
} else {
  describe('Cassandra timeline across a Cassandra restart', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-cassandra-restart-'));
    let server: LocalCassandra;
    before(async () => { server = await startCassandra({ dataDir, startTimeoutMs: 300_000 }); }, { timeout: 320_000 });
    after(async () => {
      await server?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }, { timeout: 60_000 });
    const optionsFor = (keyspace: string): CassandraTimelineOptions => ({ contactPoints: [server.contactPoint], localDataCenter: server.localDataCenter, keyspace, bucketMs: 3_600_000 });

    it('a projection killed mid-batch by a Cassandra crash resumes from its checkpoint and equals a rebuild', { timeout: 600_000 }, async () => {
      const store = await CassandraTimelineStore.open(optionsFor('restart_view'));
      try {
        let batches = 0;
        let restart: Promise<void> | undefined;
        let restartError: unknown;
        let lastError: unknown;
        let failures = 0;
        const firstPid = server.pid;
        // Kill Cassandra while the 8th batch is being written.
        const onBatch = () => {
          batches += 1;
          if (batches === 8) restart = new Promise((r) => setImmediate(r)).then(() => server.restart({ graceful: false })).catch((e: unknown) => { restartError = e; });
        };
        const deadline = Date.now() + 450_000;
        for (;;) {
          try {
            await project(store, 'timeline', onBatch);
            break;
          } catch (error) {
            failures += 1;
            lastError = error;
            if (restartError !== undefined) throw new Error(`Cassandra did not start again: ${String(restartError)}`);
            if (Date.now() > deadline) throw new Error(`the writer did not get through after ${failures} failures, the last: ${String(lastError)}`);
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        await restart;
        assert.notEqual(server.pid, firstPid, 'Cassandra was restarted');
        assert.ok(failures > 0, 'the writer saw the crash');
        assert.equal(await store.checkpoint('timeline'), EVENTS);

        const rebuild = await CassandraTimelineStore.open(optionsFor('restart_rebuild'));
        try {
          await project(rebuild, 'timeline');
          const [view, rebuilt] = [await viewOf(store), await viewOf(rebuild)];
          assert.equal(rebuilt.length, EVENTS);
          assert.deepEqual(view, rebuilt);
        } finally {
          await rebuild.close();
        }
      } finally {
        await store.close();
      }
    });
  });
}
