/**
 * The ScyllaDB (CQL) timeline adapter against a real Apache Cassandra 5.0 started here
 * (ops/install-cassandra.sh, ops/cassandra/local-server.ts). Without the jars or JDK 17
 * the suite skips and says how to install them. With GUARDYN_DATABASE__SCYLLADB_NODES set (as
 * `npm run test:production` does) it runs against that server instead of starting one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cassandra from 'cassandra-driver';
import {
  cassandraMissing,
  externalCassandra,
  startCassandra,
  type LocalCassandra,
} from '../../ops/cassandra/local-server.ts';
import { CassandraTimelineStore, type CassandraTimelineOptions } from './cassandra.ts';
import { TIMELINE_MIGRATIONS } from './cassandra-migrations.ts';
import { timelineConformance } from './conformance.ts';

// `npm run test:production` names its running Cassandra (GUARDYN_DATABASE__SCYLLADB_NODES): use it.
const external = externalCassandra();
const missing = external === undefined ? cassandraMissing() : undefined;
if (missing !== undefined) {
  describe('TimelineStore conformance: Cassandra', () => {
    it(`skipped: ${missing}`, { skip: missing }, () => {});
  });
} else {
  let server: LocalCassandra | undefined;
  let starting: Promise<LocalCassandra> | undefined;
  /** One Cassandra for the whole file, started by the first suite that needs it. */
  const cassandraServer = (): Promise<LocalCassandra> =>
    (starting ??= external !== undefined ? Promise.resolve(external) : startCassandra().then((s) => (server = s)));
  after(async () => {
    await server?.stop();
  });
  const optionsFor = (
    s: LocalCassandra,
    keyspace: string,
    extra: Partial<CassandraTimelineOptions> = {},
  ): CassandraTimelineOptions => ({
    contactPoints: [s.contactPoint],
    localDataCenter: s.localDataCenter,
    keyspace,
    ...extra,
  });

  // One-minute buckets: the conformance data spreads over many buckets (paging across them).
  timelineConformance(
    'Cassandra, 1-minute buckets',
    async () =>
      CassandraTimelineStore.open(optionsFor(await cassandraServer(), 'conformance_minute', { bucketMs: 60_000 })),
    { versionedWrites: true },
  );
  // The default one-day buckets: most data in one bucket.
  timelineConformance(
    'Cassandra, 1-day buckets',
    async () => CassandraTimelineStore.open(optionsFor(await cassandraServer(), 'conformance_day')),
    { versionedWrites: true },
  );

  describe('CassandraTimelineStore', () => {
    let s: LocalCassandra;
    before(async () => {
      s = await cassandraServer();
    });

    it('applies its migrations once and records them', async () => {
      const first = await CassandraTimelineStore.open(optionsFor(s, 'migrations_once'));
      await first.close();
      const second = await CassandraTimelineStore.open(optionsFor(s, 'migrations_once'));
      await second.close();
      const client = new cassandra.Client({ contactPoints: [s.contactPoint], localDataCenter: s.localDataCenter });
      try {
        const rows = (await client.execute('SELECT version, description FROM migrations_once.schema_migrations')).rows;
        assert.deepEqual(
          rows.map((r) => r['version']),
          TIMELINE_MIGRATIONS.map((m) => m.version),
        );
        const ks = (
          await client.execute(
            "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'migrations_once'",
          )
        ).first();
        assert.match(String(ks?.['replication']?.['class']), /SimpleStrategy/);
        assert.equal(ks?.['replication']?.['replication_factor'], '1');
      } finally {
        await client.shutdown();
      }
    });

    it('creates the keyspace with NetworkTopologyStrategy when configured', async () => {
      const store = await CassandraTimelineStore.open(
        optionsFor(s, 'migrations_nts', {
          replication: { class: 'NetworkTopologyStrategy', factors: { [s.localDataCenter]: 1 } },
        }),
      );
      await store.close();
      const client = new cassandra.Client({ contactPoints: [s.contactPoint], localDataCenter: s.localDataCenter });
      try {
        const ks = (
          await client.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'migrations_nts'")
        ).first();
        assert.match(String(ks?.['replication']?.['class']), /NetworkTopologyStrategy/);
        assert.equal(ks?.['replication']?.[s.localDataCenter], '1');
      } finally {
        await client.shutdown();
      }
    });

    it('refuses a bucket width other than the one the keyspace was created with', async () => {
      const first = await CassandraTimelineStore.open(optionsFor(s, 'bucket_width', { bucketMs: 3_600_000 }));
      await first.close();
      await assert.rejects(
        CassandraTimelineStore.open(optionsFor(s, 'bucket_width', { bucketMs: 60_000 })),
        /3600000 ms buckets/,
      );
    });

    it('rejects a bad keyspace name and a bad replication factor', async () => {
      await assert.rejects(CassandraTimelineStore.open(optionsFor(s, 'Bad-Name')), RangeError);
      await assert.rejects(
        CassandraTimelineStore.open(
          optionsFor(s, 'bad_factor', { replication: { class: 'SimpleStrategy', factor: 0 } }),
        ),
        RangeError,
      );
    });

    it('reads only the buckets a time window needs', async () => {
      const touched: string[] = [];
      const store = await CassandraTimelineStore.open(
        optionsFor(s, 'window_buckets', {
          bucketMs: 60_000,
          // The driver checks `instanceof RequestTracker`, a class its typings declare as an interface.
          requestTracker: Object.assign(
            Object.create(
              (cassandra.tracker as unknown as { RequestTracker: { prototype: object } }).RequestTracker.prototype,
            ) as object,
            {
              onSuccess: (_host: unknown, query: unknown, params: unknown) => {
                if (typeof query === 'string' && query.includes('position < ?') && Array.isArray(params))
                  touched.push(String(params[1]));
              },
              onError: () => undefined,
              shutdown: () => undefined,
            },
          ) as cassandra.tracker.RequestTracker,
        }),
      );
      try {
        // 20 minutes, 10 rows per minute, positions in time order.
        const rows = Array.from({ length: 200 }, (_, i) => ({
          partition: 'w',
          position: i + 1,
          time: i * 6_000,
          value: Uint8Array.of(i & 0xff),
        }));
        await store.write(rows);
        touched.length = 0;
        const page = await store.page('w', { limit: 100, fromTime: 5 * 60_000, toTime: 7 * 60_000 });
        assert.deepEqual(
          page.rows.map((r) => r.position),
          Array.from({ length: 20 }, (_, i) => 70 - i),
        );
        assert.deepEqual([...new Set(touched)].sort(), ['5', '6']);
        touched.length = 0;
        // The newest page reads the newest bucket only.
        const newest = await store.page('w', { limit: 5 });
        assert.deepEqual(
          newest.rows.map((r) => r.position),
          [200, 199, 198, 197, 196],
        );
        assert.deepEqual([...new Set(touched)], ['19']);
      } finally {
        await store.close();
      }
    });

    it('moves a row rewritten with a time in another bucket', async () => {
      const store = await CassandraTimelineStore.open(optionsFor(s, 'rewrite_bucket', { bucketMs: 60_000 }));
      try {
        await store.write([
          { partition: 'r', position: 1, time: 1_000, value: Uint8Array.of(1) },
          { partition: 'r', position: 2, time: 2_000, value: Uint8Array.of(2) },
        ]);
        await store.write([{ partition: 'r', position: 1, time: 10 * 60_000, value: Uint8Array.of(9) }]);
        assert.deepEqual(
          (await store.page('r', { limit: 10 })).rows.map((r) => [r.position, r.time]),
          [
            [2, 2_000],
            [1, 600_000],
          ],
        );
        assert.deepEqual(
          (await store.page('r', { limit: 10, toTime: 60_000 })).rows.map((r) => r.position),
          [2],
        );
        assert.equal((await store.get('r', 1))?.time, 600_000);
      } finally {
        await store.close();
      }
    });

    it('rejects calls after close', async () => {
      const store = await CassandraTimelineStore.open(optionsFor(s, 'closed_store'));
      await store.close();
      await assert.rejects(store.checkpoint('x'), /closed/);
    });
  });
}
