/**
 * `npm run bench -- partitions [--commits=20000] [--subjects=500] [--partitions=4] [--rounds=1]`:
 * how fast the conversation-keyed views (timeline, conversations, inbox, groups) apply a
 * backlog of MESSAGES commits, in one run:
 *
 * - baseline: the four views unpartitioned, one runner each, in this process (what one
 *   worker does today);
 * - partitioned, one process: the same views in N partitions each (4 x N runners): the cost of
 *   every partition reading the whole stream and skipping the others' commits;
 * - partitioned, two worker processes (`guardyn serve projections`, leases, fencing): the
 *   scale-out, timed from the first runner's start (its log line) to every partition's checkpoint
 *   at the end (process start-up excluded, lease balancing included).
 *
 * The stream is filled untimed: one ConversationStarted per conversation, then MessageSent
 * commits round-robin over `--subjects` conversations (128 B of ciphertext each).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { commitHeaders, encodeBody } from '../streams/envelope.ts';
import { JetStreamPublisher } from '../streams/publisher.ts';
import { chainHash, GENESIS } from '../streams/hash-chain.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';
import { sendMessage, startConversation, T0 } from '../audit/fixtures.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import { allProjections, ProjectionRunner, type Projection } from '../projections/index.ts';
import { PARTITIONED_VIEWS, projectionsOf, viewCheckpoint } from '../projections/runtime/partitions.ts';
import { describeMachine } from './machine.ts';
import { parsePositiveInt, printReport, startBenchNats, type BenchArgs, type BenchNats } from './run.ts';
import { assertNoErrors, formatRatio, rateOnly, type Stats } from './stats.ts';

const GUARDYN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'guardyn.js');

export async function benchPartitions(a: BenchArgs): Promise<void> {
  const commits = parsePositiveInt(a.raw['commits'] ?? '20000', 'commits');
  const subjectCount = parsePositiveInt(a.raw['subjects'] ?? '500', 'subjects');
  const partitions = parsePositiveInt(a.raw['partitions'] ?? '4', 'partitions');
  if (partitions < 2) throw new Error('--partitions must be 2 or more');
  await withFilledMessages('partitions', commits, subjectCount, async ({ nats, root, log, fillSeconds, last }) => {
    const rows: Stats[] = [];
    const after: string[] = [];
    for (let round = 1; round <= a.rounds; round++) {
      const base = await inProcess(log, path.join(root, `base-${round}`), 1, last);
      rows.push(rateOnly('baseline: 4 views unpartitioned, 1 process', last, base, `4 runners, one per view`));
      const one = await inProcess(log, path.join(root, `one-${round}`), partitions, last);
      rows.push(rateOnly(`${partitions} partitions, 1 process`, last, one, `${4 * partitions} runners`));
      const two = await twoWorkers(nats.server.url, path.join(root, `two-${round}`), partitions, last);
      rows.push(
        rateOnly(
          `${partitions} partitions, 2 worker processes`,
          last,
          two.seconds,
          `2 x 16 runners by lease; start-up ${two.startup.toFixed(1)} s excluded`,
        ),
      );
      const [b, o, t] = rows.slice(-3) as [Stats, Stats, Stats];
      after.push(
        `round ${round}: ${formatRatio('partitioned 1 process/baseline', o, b)}, ${formatRatio('2 workers/baseline', t, b)}`,
      );
    }
    printReport({
      title: 'partitions',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `${last} commits on MESSAGES (${subjectCount} conversations, ${commits} messages) filled in ${fillSeconds.toFixed(1)} s; ` +
          `views ${PARTITIONED_VIEWS.join(', ')} applied from empty embedded stores to the stream's end; rate = stream commits per second; ${a.rounds} round(s)`,
      ],
      rows,
      after,
    });
    assertNoErrors(rows);
  });
}

/** A filled MESSAGES stream on a fresh nats-server (`fill`, timed), and a scratch directory, for `run`; all removed after. */
export async function withFilledMessages(
  bench: string,
  commits: number,
  subjectCount: number,
  run: (f: { nats: BenchNats; root: string; log: EventLog; fillSeconds: number; last: number }) => Promise<void>,
): Promise<void> {
  const nats = await startBenchNats();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `guardyn-bench-${bench}-`));
  const log = await EventLog.connect(nats.server.url, eventRegistry, silentLogger, `guardyn-bench-${bench}`);
  try {
    await log.ensureStreams();
    const fillStarted = performance.now();
    await fill(log, commits, subjectCount);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    await run({ nats, root, log, fillSeconds, last: await log.lastSeq(STREAMS.messages) });
  } finally {
    await log.close();
    await nats.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Fills MESSAGES untimed: one ConversationStarted per conversation, then MessageSent commits round-robin. */
export async function fill(log: EventLog, commits: number, subjectCount: number): Promise<void> {
  const heads = new Map<string, string>();
  const content = randomBytes(128);
  const publisher = new JetStreamPublisher(log.nc, 60_000);
  let inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < commits + subjectCount; i++) {
    const n = i % subjectCount;
    const conv = `bench${n}`;
    const subject = subjects.conversation(conv);
    const commit =
      i < subjectCount
        ? startConversation(conv, `u${n}`, `u${n + 1}`, T0)
        : sendMessage(conv, `m${i}`, `u${n}`, `u${n + 1}`, T0 + i, content);
    const body = encodeBody(commit, eventRegistry);
    const prev = heads.get(subject) ?? GENESIS;
    const hash = chainHash(prev, subject, body);
    heads.set(subject, hash);
    inFlight.push(publisher.publish(subject, body, commitHeaders(commit, prev, hash)));
    if (inFlight.length >= 2048) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  publisher.close();
}

/** The partitionable views over a fresh store, each as `partitions` projections, run here until `last`; seconds taken. */
async function inProcess(log: EventLog, dir: string, partitions: number, last: number): Promise<number> {
  const stores = await openEmbeddedStores(dir);
  try {
    const views = allProjections(stores, log) as Record<string, Projection<unknown>>;
    const parts = PARTITIONED_VIEWS.flatMap((v) => projectionsOf(views[v]!, partitions));
    const runners = parts.map((p) => new ProjectionRunner(log, p, silentLogger, { ordered: true }));
    const started = performance.now();
    for (const r of runners) await r.start();
    for (const r of runners)
      if (!(await r.waitFor(last, 600_000))) throw new Error(`${r.projection.name} did not reach ${last}`);
    const seconds = (performance.now() - started) / 1000;
    for (const r of runners) await r.stop();
    return seconds;
  } finally {
    await stores.close();
  }
}

/** Two `guardyn serve projections` workers sharing `partitions` partitions; seconds from the first runner's start to the end. */
async function twoWorkers(
  natsUrl: string,
  dataDir: string,
  partitions: number,
  last: number,
): Promise<{ seconds: number; startup: number }> {
  const spawned = performance.now();
  let firstUp = 0;
  const children = ['b1', 'b2'].map((id) => {
    const child = spawn(process.execPath, [GUARDYN, 'serve', 'projections'], {
      env: {
        ...process.env,
        GUARDYN_MESSAGING__NATS_URL: natsUrl,
        GUARDYN_DATA_DIR: dataDir,
        GUARDYN_PROJECTIONS__PARTITIONS: String(partitions),
        GUARDYN_PROJECTIONS__WORKER_ID: id,
        GUARDYN_METRICS__PORT: 'off',
        GUARDYN_LOG_LEVEL: 'info',
        GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS: '0',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      // From the first runner's start: nothing is applied before it.
      if (firstUp === 0 && lines.some((l) => l.includes('"msg":"projection started"'))) firstUp = performance.now();
    });
    return child;
  });
  try {
    const stores = await openEmbeddedStores(path.join(dataDir, 'views'));
    try {
      const views = allProjections(stores, { jsm: undefined, nc: undefined } as unknown as EventLog) as Record<
        string,
        Projection<unknown>
      >;
      const deadline = Date.now() + 600_000;
      for (;;) {
        const applied = await Promise.all(PARTITIONED_VIEWS.map((v) => viewCheckpoint(views[v]!, partitions)));
        if (applied.every((s) => s >= last)) break;
        if (Date.now() > deadline) throw new Error(`two workers did not reach ${last}: ${applied.join(', ')}`);
        await sleep(20);
      }
    } finally {
      await stores.close();
    }
    const done = performance.now();
    return { seconds: (done - (firstUp || spawned)) / 1000, startup: ((firstUp || spawned) - spawned) / 1000 };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(undefined) : c.once('exit', r)))),
    );
  }
}
