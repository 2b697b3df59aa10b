/**
 * `npm run bench -- stores [--conversations=20 --messages=150 --rounds=1 --profile --fenced]`: the projection apply
 * rate of the production view stores beside the embedded one, in one run, on the same commits:
 *
 * - the timeline view (projections/timeline) into Cassandra 5.0 (the ScyllaDB adapter) and into
 *   the embedded LMDB timeline;
 * - the conversations view (projections/conversations, a key-value view) through the TiKV
 *   adapter (against the ops/tikv stand-in) and into the embedded LMDB key-value store.
 *
 * Each figure is a rebuild by the real ProjectionRunner (durable consumer, batches of 256,
 * view rows and checkpoint per batch) of the same MESSAGES stream in a private nats-server,
 * reported as commits per second and as the ratio to LMDB. With `--rounds=N` the stores are
 * measured in N interleaved rounds and each figure is the median. The TiKV stand-in is an
 * in-memory mock behind real gRPC and Cassandra runs on the same two cores: the figures
 * measure the adapters, the wire and the servers on this machine, not a cluster. `--profile`
 * prints where this process spent its CPU during the last round's Cassandra and TiKV runs.
 * `--fenced` adds each rebuild as a lease owner applies it (claimed, every batch fenced, ordered
 * consumer; on TiKV and Cassandra every row and checkpoint versioned: docs/adr/0220).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuMeter, describeMachine } from './machine.ts';
import { startBenchNats, type BenchArgs } from './run.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import { TikvKvStore } from '../stores/kv/tikv/adapter.ts';
import { findTikvMock, startTikvMock, TIKV_INSTALL_HINT } from '../stores/kv/tikv/mock-server.ts';
import { CassandraTimelineStore } from '../stores/timeline/cassandra.ts';
import { cassandraMissing, externalCassandra, startCassandra } from '../ops/cassandra/local-server.ts';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { STREAMS } from '../streams/subjects.ts';
import { seedConversations } from '../audit/fixtures.ts';
import { rebuildView, resetView } from '../projections/runtime/rebuild.ts';
import { ProjectionRunner } from '../projections/runtime/runner.ts';
import { timelineProjection } from '../projections/timeline/projector.ts';
import { conversationsProjection } from '../projections/conversations/projector.ts';
import type { Projection } from '../projections/runtime/projection.ts';
import { silentLogger } from '../runtime/logger.ts';
import { startProfile } from './profile.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)}%`);

export async function benchStores(args: BenchArgs): Promise<void> {
  console.log(describeMachine());
  const conversations = Number(args.raw['conversations'] ?? 20);
  const messages = Number(args.raw['messages'] ?? 150);
  const rounds = args.rounds;
  const profile = args.raw['profile'] === 'true';
  const profiles: string[] = [];
  const external = externalCassandra();
  const missing =
    (external === undefined ? cassandraMissing() : undefined) ??
    (findTikvMock() === undefined ? `no TiKV stand-in binary: ${TIKV_INSTALL_HINT}` : undefined);
  if (missing !== undefined) {
    console.log(`stores: skipped, ${missing}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-stores-'));
  const cleanups: (() => Promise<void>)[] = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  try {
    const nats = await startBenchNats();
    cleanups.push(() => nats.stop());
    const log = await EventLog.connect(nats.server.url, eventRegistry, silentLogger);
    cleanups.push(() => log.close());
    await log.ensureStreams();
    const seedStart = performance.now();
    await seedConversations(log, conversations, messages);
    const commits = await log.lastSeq(STREAMS.messages);
    console.log(
      `seeded ${commits} commits (${conversations} conversations of ${messages} messages) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const embedded = await openEmbeddedStores(path.join(dir, 'lmdb'));
    cleanups.push(() => embedded.close());
    const mock = await startTikvMock();
    cleanups.push(() => mock.stop());
    const tikv = await TikvKvStore.connect({ pdEndpoints: [mock.pd] });
    cleanups.push(() => tikv.close());
    const cassandra = external ?? (await startCassandra());
    cleanups.push(() => cassandra.stop());
    if (external === undefined)
      console.log(`Cassandra 5.0 started (CQL after ${(cassandra.startMs / 1000).toFixed(1)} s), pid ${cassandra.pid}`);
    const cql = await CassandraTimelineStore.open({
      contactPoints: [cassandra.contactPoint],
      localDataCenter: cassandra.localDataCenter,
      keyspace: `bench_stores_${Date.now()}`,
    });
    cleanups.push(() => cql.close());

    /** Rebuilds the view from the stream; commits per second. */
    const rate = async (
      projection: Projection<unknown>,
      pids: number[],
      profiled?: string,
    ): Promise<{ rate: number; cpu: ReadonlyMap<number, number | undefined> }> => {
      const stopProfile = profiled === undefined ? undefined : await startProfile();
      const meter = cpuMeter([process.pid, ...pids]);
      const t0 = performance.now();
      const { applied } = await rebuildView(log, projection, silentLogger);
      const seconds = (performance.now() - t0) / 1000;
      if (stopProfile !== undefined) profiles.push(`${profiled}:`, ...(await stopProfile()));
      return { rate: applied / seconds, cpu: meter.stop().byPid };
    };
    /**
     * The same rebuild as one lease owner (epoch 1) would apply it: the checkpoint claimed, every
     * batch fenced, read through an ordered consumer; on TiKV and Cassandra each row and the
     * checkpoint written versioned (docs/adr/0220), on TiKV after the batch's redo and its commit
     * point, a compare-and-swap of the fence record (docs/adr/0340). Commits per second.
     */
    const fencedRate = async (projection: Projection<unknown>): Promise<number> => {
      await resetView(log, projection);
      const target = await log.lastSeq(projection.stream);
      const t0 = performance.now();
      const runner = new ProjectionRunner(log, projection, silentLogger, { fence: 1 });
      await runner.start();
      try {
        while (!(await runner.waitFor(target, 1000))) {
          /* still applying */
        }
      } finally {
        await runner.stop();
      }
      return target / ((performance.now() - t0) / 1000);
    };
    const fenced = args.raw['fenced'] === 'true';
    const figures: Record<string, number[]> = {
      tlLmdb: [],
      tlCql: [],
      cvLmdb: [],
      cvTikv: [],
      tlLmdbF: [],
      tlCqlF: [],
      cvLmdbF: [],
      cvTikvF: [],
    };
    const cpuLines: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      figures.tlLmdb!.push(
        (
          await rate(
            {
              ...timelineProjection(embedded.timeline, log),
              name: `bench_timeline_lmdb_${round}`,
            } as Projection<unknown>,
            [],
          )
        ).rate,
      );
      const tl = await rate(
        { ...timelineProjection(cql, log), name: `bench_timeline_cql_${round}` } as Projection<unknown>,
        cassandra.pid > 0 ? [cassandra.pid] : [],
        profile && round === rounds ? 'timeline into Cassandra' : undefined,
      );
      figures.tlCql!.push(tl.rate);
      figures.cvLmdb!.push(
        (
          await rate(
            {
              ...conversationsProjection(embedded.kv),
              name: `bench_conversations_lmdb_${round}`,
            } as Projection<unknown>,
            [],
          )
        ).rate,
      );
      const cv = await rate(
        { ...conversationsProjection(tikv), name: `bench_conversations_tikv_${round}` } as Projection<unknown>,
        [mock.pid],
        profile && round === rounds ? 'conversations through TiKV' : undefined,
      );
      figures.cvTikv!.push(cv.rate);
      if (fenced) {
        figures.tlLmdbF!.push(
          await fencedRate({
            ...timelineProjection(embedded.timeline, log),
            name: `bench_timeline_lmdb_fenced_${round}`,
          } as Projection<unknown>),
        );
        figures.tlCqlF!.push(
          await fencedRate({
            ...timelineProjection(cql, log),
            name: `bench_timeline_cql_fenced_${round}`,
          } as Projection<unknown>),
        );
        figures.cvLmdbF!.push(
          await fencedRate({
            ...conversationsProjection(embedded.kv),
            name: `bench_conversations_lmdb_fenced_${round}`,
          } as Projection<unknown>),
        );
        figures.cvTikvF!.push(
          await fencedRate({
            ...conversationsProjection(tikv),
            name: `bench_conversations_tikv_fenced_${round}`,
          } as Projection<unknown>),
        );
      }
      cpuLines.push(
        `round ${round} CPU (percent of one core): Cassandra run: this process ${pct(tl.cpu.get(process.pid))}, Cassandra ${pct(tl.cpu.get(cassandra.pid))}; TiKV run: this process ${pct(cv.cpu.get(process.pid))}, stand-in ${pct(cv.cpu.get(mock.pid))}`,
      );
    }
    const [tlLmdb, tlCql, cvLmdb, cvTikv] = [
      median(figures.tlLmdb!),
      median(figures.tlCql!),
      median(figures.cvLmdb!),
      median(figures.cvTikv!),
    ];
    console.log(
      `timeline view apply (${commits} commits, ${rounds} round(s), median): Cassandra ${tlCql.toFixed(0)} commits/s, LMDB ${tlLmdb.toFixed(0)} commits/s, ratio ${(tlCql / tlLmdb).toFixed(3)}`,
    );
    console.log(
      `conversations view apply (${commits} commits, ${rounds} round(s), median): TiKV ${cvTikv.toFixed(0)} commits/s, LMDB ${cvLmdb.toFixed(0)} commits/s, ratio ${(cvTikv / cvLmdb).toFixed(3)}`,
    );
    if (fenced) {
      const [a, b, c, d] = [
        median(figures.tlLmdbF!),
        median(figures.tlCqlF!),
        median(figures.cvLmdbF!),
        median(figures.cvTikvF!),
      ];
      console.log(
        `fenced (lease owner), timeline: Cassandra ${b.toFixed(0)} commits/s, LMDB ${a.toFixed(0)} commits/s, ratio ${(b / a).toFixed(3)}`,
      );
      console.log(
        `fenced (lease owner), conversations: TiKV ${d.toFixed(0)} commits/s, LMDB ${c.toFixed(0)} commits/s, ratio ${(d / c).toFixed(3)}`,
      );
    }
    for (const line of cpuLines) console.log(line);
    console.log(`TiKV client: ${JSON.stringify(tikv.client.stats)}`);
    for (const line of profiles) console.log(line);
  } finally {
    for (const c of cleanups.reverse())
      await c().catch((e: unknown) => console.error(`stores bench cleanup: ${String(e)}`));
  }
}
