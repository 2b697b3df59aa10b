/**
 * `npm run test:production`: the production adapters against real servers started here.
 *
 * 1. Installs what is missing (ops/install-cassandra.sh, ops/install-tikv-mock.sh,
 *    ops/install-s3-server.sh; each cached in .tmp, so a second run installs nothing).
 * 2. Starts Cassandra 5.0 (ops/cassandra/local-server.ts), the TiKV/PD stand-in (ops/tikv) and
 *    the S3 server (versitygw), each on free ports.
 * 3. Runs the conformance suites (key-value on TiKV, timeline on Cassandra, blob on S3) and the
 *    whole end-to-end suite with every production adapter selected by the GUARDYN_* variables
 *    (each test Guardyn gets a keyspace, key prefix and bucket of its own: test/support/guardyn.ts).
 * 4. Stops that Cassandra, then runs the Cassandra restart fault test, which starts (and kills)
 *    a Cassandra of its own: only one Cassandra runs at a time.
 * 5. Stops every server it started, by its pid, also on failure and on Ctrl-C.
 *
 *   npm run test:production                         # everything
 *   npm run test:production -- test/e2e/history.test.ts   # those files in step 3 instead
 *   npm run test:production -- --restart-runs=5     # the restart test 5 times in a row
 *   npm run test:production -- --no-restart         # without step 4
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../runtime/repo-root.ts';
import { startCassandra, type LocalCassandra } from '../ops/cassandra/local-server.ts';
import { startS3Server, type LocalS3Server } from '../ops/s3/local-server.ts';
import { startTikvMock, type MockTikv } from '../stores/kv/tikv/mock-server.ts';

const CONFORMANCE = [
  'stores/kv/tikv/tikv.test.ts',
  'stores/timeline/cassandra.test.ts',
  'stores/blob/s3.test.ts',
  // Fenced key-value views on TiKV: an owner dying with rows ahead of its checkpoint (docs/adr/0340).
  'projections/runtime/kv-target-fenced.test.ts',
];
const RESTART_TEST = 'stores/timeline/cassandra-restart.test.ts';
/**
 * Per test file: the e2e files start Guardyns whose keyspaces are created on a loaded Cassandra,
 * and the partitioned-worker test may take 15 minutes under a load of 30.
 */
const FILE_TIMEOUT_MS = 960_000;

const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.ts'));
const restartRuns = args.includes('--no-restart')
  ? 0
  : Number(/^--restart-runs=(\d+)$/.exec(args.find((a) => a.startsWith('--restart-runs=')) ?? '')?.[1] ?? 1);
const unknown = args.filter((a) => !a.endsWith('.ts') && a !== '--no-restart' && !a.startsWith('--restart-runs='));
if (unknown.length > 0) {
  console.error(`test:production: unknown arguments ${unknown.join(' ')} (test files, --restart-runs=N, --no-restart)`);
  process.exit(2);
}

const started = Date.now();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const timings: [string, number][] = [];
async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const t0 = Date.now();
  try {
    return await work();
  } finally {
    timings.push([label, Date.now() - t0]);
  }
}
const step = (text: string) => console.log(`\n==> test:production: ${text}`);

// Everything started here, stopped in reverse order by `stopAll` (by pid, inside each stop()).
const servers: { name: string; stop: () => Promise<void> }[] = [];
let running: ChildProcess | undefined;
let stopping: Promise<void> | undefined;
/** Set by Ctrl-C (or a termination signal): no further step starts. */
let interrupted = false;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    // The test runner runs in a process group of its own (its test files and what they started):
    // that group is ended as a whole.
    if (running !== undefined && running.exitCode === null && running.pid !== undefined) {
      try {
        process.kill(-running.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    for (const s of servers.reverse()) {
      await s.stop().catch((e: unknown) => console.error(`test:production: stopping ${s.name} failed: ${String(e)}`));
    }
    servers.length = 0;
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\ntest:production: ${signal}, stopping the servers it started`);
    void stopAll().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  });
}

function install(script: string): void {
  const r = spawnSync('bash', [path.join('ops', script)], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0)
    throw new Error(
      `ops/${script} failed (exit ${r.status ?? r.signal}): the production stores cannot be tested without it`,
    );
}

/**
 * Runs test files through test/run-all.mjs; resolves to its exit code. `--test-force-exit`: a
 * test file whose in-process Guardyn leaves a handle open on the production stores after its tests
 * (seen with the stream-limits suite) ends once its tests are done instead of at the file timeout.
 */
function runTests(testFiles: readonly string[], env: Record<string, string>): Promise<number> {
  if (interrupted) return Promise.resolve(130);
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv['GUARDYN_TEST_TIKV'];
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'test', 'run-all.mjs'),
        `--test-timeout=${FILE_TIMEOUT_MS}`,
        '--test-force-exit',
        ...testFiles,
      ],
      { cwd: REPO_ROOT, env: childEnv, stdio: 'inherit', detached: true },
    );
    running = child;
    child.once('exit', (code, signal) => {
      running = undefined;
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

function e2eFiles(): string[] {
  const dir = path.join(REPO_ROOT, 'test', 'e2e');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join('test', 'e2e', f));
}

async function main(): Promise<number> {
  step('install the servers when missing (cached in .tmp)');
  await timed('install', () => {
    install('install-cassandra.sh');
    install('install-tikv-mock.sh');
    install('install-s3-server.sh');
  });

  if (interrupted) return 130;
  step('start Cassandra, the TiKV/PD stand-in and the S3 server');
  const [tikv, s3, cassandra] = await timed('start servers', async () => {
    const starting = [startTikvMock(), startS3Server(), startCassandra()] as const;
    // Whatever started is stopped later, even when another failed to.
    const [t, s, c] = await Promise.allSettled(starting);
    if (t.status === 'fulfilled') servers.push({ name: 'TiKV stand-in', stop: () => t.value.stop() });
    if (s.status === 'fulfilled') servers.push({ name: 'S3 server', stop: () => s.value.stop() });
    if (c.status === 'fulfilled') servers.push({ name: 'Cassandra', stop: () => c.value.stop() });
    for (const r of [t, s, c]) if (r.status === 'rejected') throw r.reason;
    return [
      (t as PromiseFulfilledResult<MockTikv>).value,
      (s as PromiseFulfilledResult<LocalS3Server>).value,
      (c as PromiseFulfilledResult<LocalCassandra>).value,
    ];
  });
  console.log(
    `TiKV/PD stand-in: PD ${tikv.pd} (pid ${tikv.pid}); S3: ${s3.endpoint} (pid ${s3.pid}); Cassandra: ${cassandra.contactPoint} (pid ${cassandra.pid}, CQL after ${seconds(cassandra.startMs)})`,
  );
  const env: Record<string, string> = {
    GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: tikv.pd,
    GUARDYN_DATABASE__SCYLLADB_NODES: cassandra.contactPoint,
    GUARDYN_DATABASE__SCYLLADB_LOCAL_DC: cassandra.localDataCenter,
    GUARDYN_MEDIA__S3_ENDPOINT: s3.endpoint,
    GUARDYN_MEDIA__S3_ACCESS_KEY: s3.accessKey,
    GUARDYN_MEDIA__S3_SECRET_KEY: s3.secretKey,
  };

  const suites = files.length > 0 ? files : [...CONFORMANCE, ...e2eFiles()];
  step(`conformance and end-to-end suites with every production adapter (${suites.length} files)`);
  const suitesCode = await timed('conformance + e2e', () => runTests(suites, env));

  if (interrupted) return 130;
  step('stop Cassandra (the restart test starts its own)');
  const own = servers.findIndex((s) => s.name === 'Cassandra');
  if (own >= 0) await timed('stop Cassandra', () => servers.splice(own, 1)[0]!.stop());

  let restartCode = 0;
  for (let run = 1; run <= restartRuns && !interrupted; run++) {
    step(`Cassandra restart fault test, run ${run} of ${restartRuns}`);
    const code = await timed(`restart test run ${run}`, () =>
      runTests([RESTART_TEST], { GUARDYN_TEST_CASSANDRA_RESTART: '1' }),
    );
    if (code !== 0) restartCode = code;
  }
  return suitesCode !== 0 ? suitesCode : restartCode;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`test:production: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await stopAll();
}
step(`${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(Date.now() - started)}`);
for (const [label, ms] of timings) console.log(`  ${label.padEnd(24)} ${seconds(ms)}`);
process.exit(code);
