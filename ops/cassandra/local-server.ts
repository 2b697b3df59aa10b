// Runs a local Apache Cassandra 5.0 (the CQL server standing in for ScyllaDB) for the ScyllaDB
// timeline adapter's tests and benchmark: CassandraDaemon on JDK 17 from the jars that
// ops/install-cassandra.sh put in .tmp/cassandra/lib, a minimal generated cassandra.yaml on
// 127.0.0.1 with free ports, a small heap and a temporary data directory. Only the process
// started here is ever stopped here, by its pid.
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../runtime/repo-root.ts';
import { freePort } from '../../runtime/free-port.ts';

export const REPO_CASSANDRA_LIB = path.join(REPO_ROOT, '.tmp', 'cassandra', 'lib');
export const CASSANDRA_LIB_ENV = 'GUARDYN_CASSANDRA_LIB';
export const CASSANDRA_JAVA_ENV = 'GUARDYN_CASSANDRA_JAVA';
export const CASSANDRA_INSTALL_HINT =
  'install it with `bash ops/install-cassandra.sh` (fetches cassandra-all 5.0 with Maven into .tmp/cassandra/lib), or point GUARDYN_CASSANDRA_LIB at such a directory of jars';
/** Cassandra 5.0 runs on Java 11 or 17, not on later ones. */
const DEFAULT_JAVA = '/usr/lib/jvm/java-17-openjdk-amd64/bin/java';
/** The datacenter SimpleSnitch reports. */
export const LOCAL_DATACENTER = 'datacenter1';

/** Module-system openings Cassandra 5.0 needs on JDK 17 (its own server options for 17 list the same). */
const JDK17_FLAGS = [
  '-Djdk.attach.allowAttachSelf=true',
  ...[
    'java.base/jdk.internal.misc',
    'java.base/jdk.internal.ref',
    'java.base/sun.nio.ch',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
  ].map((p) => `--add-exports=${p}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.nio',
    'java.base/java.util.concurrent',
    'java.base/java.util',
    'java.base/java.util.concurrent.atomic',
    'java.base/java.lang',
    'java.base/java.math',
    'java.base/java.lang.reflect',
    'java.base/java.net',
  ].map((p) => `--add-opens=${p}=ALL-UNNAMED`),
];

/**
 * Opt-in (GUARDYN_CASSANDRA_FAST_START=1): the C1 compiler alone and no fsync of the system
 * keyspaces. Not the default: in two restart-test runs with them the driver never got through
 * to the restarted server; without them it did.
 */
const FAST_START_FLAGS = ['-XX:TieredStopAtLevel=1', '-Dcassandra.unsafesystem=true'];

export interface LocalCassandra {
  /** 127.0.0.1:<native transport port> */
  readonly contactPoint: string;
  readonly port: number;
  readonly localDataCenter: string;
  /** The pid of the running JVM (changes on restart). */
  readonly pid: number;
  /** Milliseconds from spawn to the first CQL answer, of the last start. */
  readonly startMs: number;
  /** Kills the JVM (SIGKILL: a crash, unless `graceful`) and starts it again on the same data and ports. */
  restart(options?: { graceful?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A CQL server already running, named by GUARDYN_DATABASE__SCYLLADB_NODES (its first node), as
 * `npm run test:production` sets it: suites that only need a server use it instead of starting
 * one (one Cassandra at a time on a small machine). It cannot be restarted or stopped from here.
 */
export function externalCassandra(): LocalCassandra | undefined {
  const first = (process.env['GUARDYN_DATABASE__SCYLLADB_NODES'] ?? '').split(',')[0]?.trim() ?? '';
  if (first === '') return undefined;
  const port = Number(/:(\d+)$/.exec(first)?.[1] ?? 9042);
  const contactPoint = first.includes(':') ? first : `${first}:${port}`;
  return {
    contactPoint,
    port,
    localDataCenter: process.env['GUARDYN_DATABASE__SCYLLADB_LOCAL_DC'] || LOCAL_DATACENTER,
    pid: 0,
    startMs: 0,
    restart: () => Promise.reject(new Error('a Cassandra not started here is not restarted here')),
    stop: async () => undefined,
  };
}

/** The directory of Cassandra jars, or undefined when none is installed. */
export function findCassandra(): string | undefined {
  const fromEnv = process.env[CASSANDRA_LIB_ENV];
  const dir = fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : REPO_CASSANDRA_LIB;
  try {
    return fs.readdirSync(dir).some((f) => /^cassandra-all-.*\.jar$/.test(f)) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The java binary (JDK 11 or 17), or undefined. */
export function findJava(): string | undefined {
  const fromEnv = process.env[CASSANDRA_JAVA_ENV];
  const file = fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_JAVA;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}

/** Why the Cassandra tests cannot run here, or undefined when they can. */
export function cassandraMissing(): string | undefined {
  if (findCassandra() === undefined) return `no Cassandra jars: ${CASSANDRA_INSTALL_HINT}`;
  if (findJava() === undefined)
    return `no JDK 17 at ${DEFAULT_JAVA} (apt-get install openjdk-17-jdk-headless, or set ${CASSANDRA_JAVA_ENV})`;
  return undefined;
}

function yaml(dir: string, nativePort: number, storagePort: number): string {
  return [
    'cluster_name: guardyn-test',
    'num_tokens: 1',
    'initial_token: 0',
    'partitioner: org.apache.cassandra.dht.Murmur3Partitioner',
    // A write is acknowledged once its commit log entry is on disk: with the default periodic sync a
    // SIGKILL loses acknowledged writes (measured: 52 of 2000 single-row inserts gone after a kill),
    // which no single-node crash test could survive (docs/adr/0053-production-stores-under-test.md).
    'commitlog_sync: batch',
    'seed_provider:',
    '  - class_name: org.apache.cassandra.locator.SimpleSeedProvider',
    '    parameters:',
    `      - seeds: "127.0.0.1:${storagePort}"`,
    'listen_address: 127.0.0.1',
    'rpc_address: 127.0.0.1',
    `storage_port: ${storagePort}`,
    `native_transport_port: ${nativePort}`,
    'start_native_transport: true',
    'endpoint_snitch: SimpleSnitch',
    'authenticator: AllowAllAuthenticator',
    'authorizer: AllowAllAuthorizer',
    'auto_snapshot: false',
    'snapshot_before_compaction: false',
    'concurrent_compactors: 1',
    'data_file_directories:',
    `  - ${path.join(dir, 'data')}`,
    `commitlog_directory: ${path.join(dir, 'commitlog')}`,
    `saved_caches_directory: ${path.join(dir, 'saved_caches')}`,
    `hints_directory: ${path.join(dir, 'hints')}`,
    `cdc_raw_directory: ${path.join(dir, 'cdc_raw')}`,
    '',
  ].join('\n');
}

const LOGBACK = (dir: string) => `<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${path.join(dir, 'system.log')}</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %logger{36}:%line - %msg%n</pattern></encoder>
  </appender>
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>ERROR</level></filter>
    <encoder><pattern>%-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/><appender-ref ref="STDERR"/></root>
</configuration>
`;

/**
 * Sends a CQL OPTIONS request (protocol v4 frame: version, flags, stream, opcode 0x05, empty body)
 * and expects SUPPORTED (opcode 0x06). A raw frame rather than a driver client: a driver client
 * whose connect fails while the server starts may keep reconnecting after its shutdown.
 */
async function answersCql(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(5000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.once('connect', () => socket.write(Buffer.from([0x04, 0x00, 0x00, 0x01, 0x05, 0, 0, 0, 0])));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 9) done(received[0] === 0x84 && received[4] === 0x06);
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface StartCassandraOptions {
  readonly lib?: string;
  readonly java?: string;
  /** Keeps the data here (not removed on stop); default: a new temporary directory, removed on stop. */
  readonly dataDir?: string;
  /** -Xmx (default 768m; -Xms is the same). */
  readonly heap?: string;
  /** How long to wait for CQL (default 180 s: a cold start on 2 busy cores is slow). */
  readonly startTimeoutMs?: number;
}

export async function startCassandra(options: StartCassandraOptions = {}): Promise<LocalCassandra> {
  const lib = options.lib ?? findCassandra();
  if (lib === undefined) throw new Error(`no Cassandra: ${CASSANDRA_INSTALL_HINT}`);
  const java = options.java ?? findJava();
  if (java === undefined) throw new Error(`no JDK 17 at ${DEFAULT_JAVA}`);
  const dir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-cassandra-'));
  const ownDir = options.dataDir === undefined;
  const heap = options.heap ?? '768m';
  const timeoutMs = options.startTimeoutMs ?? 180_000;
  fs.mkdirSync(dir, { recursive: true });
  const nativePort = await freePort();
  const storagePort = await freePort();
  fs.writeFileSync(path.join(dir, 'cassandra.yaml'), yaml(dir, nativePort, storagePort));
  fs.writeFileSync(path.join(dir, 'logback.xml'), LOGBACK(dir));

  let child: ChildProcess | undefined;
  let exited = true;
  let exitedPromise: Promise<void> = Promise.resolve();
  let stderr = '';
  let startMs = 0;
  const kill = () => {
    if (child !== undefined && !exited) child.kill('SIGKILL');
  };
  process.once('exit', kill);

  async function launch(): Promise<void> {
    const started = Date.now();
    stderr = '';
    const proc = spawn(
      java!,
      [
        `-Xms${heap}`,
        `-Xmx${heap}`,
        '-Xss512k',
        '-XX:+UseG1GC',
        '-XX:ActiveProcessorCount=2',
        ...(process.env['GUARDYN_CASSANDRA_FAST_START'] === '1' ? FAST_START_FLAGS : []),
        ...JDK17_FLAGS,
        `-Dcassandra.config=file://${path.join(dir, 'cassandra.yaml')}`,
        `-Dcassandra.storagedir=${dir}`,
        `-Dcassandra.logdir=${dir}`,
        '-Dcassandra-foreground=yes',
        '-Dcassandra.skip_wait_for_gossip_to_settle=0',
        '-Dcassandra.ring_delay_ms=100',
        '-Dcassandra.superuser_setup_delay_ms=0',
        `-Dlogback.configurationFile=file://${path.join(dir, 'logback.xml')}`,
        '-Dio.netty.tryReflectionSetAccessible=true',
        '-cp',
        `${lib}/*`,
        'org.apache.cassandra.service.CassandraDaemon',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
    );
    child = proc;
    exited = false;
    // A watchdog holding a pipe from this process: if this process dies without stopping the JVM
    // (a test runner's timeout kills it), the pipe closes and the watchdog kills the JVM by its pid.
    const watchdog = spawn('sh', ['-c', `read _ignored; kill -9 ${proc.pid} 2>/dev/null`], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
    exitedPromise = new Promise<void>((resolve) =>
      proc.once('exit', () => {
        exited = true;
        if (watchdog.exitCode === null) watchdog.kill('SIGKILL');
        resolve();
      }),
    );
    proc.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4096);
    });
    const deadline = started + timeoutMs;
    for (;;) {
      if (exited)
        throw new Error(`Cassandra exited at start: ${stderr.trim() || `see ${path.join(dir, 'system.log')}`}`);
      if (Date.now() > deadline) {
        kill();
        await exitedPromise;
        throw new Error(
          `Cassandra did not answer CQL on ${nativePort} within ${timeoutMs} ms (log: ${path.join(dir, 'system.log')})`,
        );
      }
      if ((await accepts(nativePort)) && (await answersCql(nativePort))) break;
      await sleep(250);
    }
    startMs = Date.now() - started;
  }

  async function halt(graceful: boolean): Promise<void> {
    if (child === undefined || exited) return;
    if (graceful) {
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 30_000);
      await exitedPromise;
      clearTimeout(timer);
    } else {
      child.kill('SIGKILL');
      await exitedPromise;
    }
  }

  try {
    await launch();
  } catch (error) {
    process.removeListener('exit', kill);
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    contactPoint: `127.0.0.1:${nativePort}`,
    port: nativePort,
    localDataCenter: LOCAL_DATACENTER,
    get pid() {
      return child!.pid!;
    },
    get startMs() {
      return startMs;
    },
    async restart(restartOptions = {}) {
      await halt(restartOptions.graceful === true);
      await launch();
    },
    async stop() {
      process.removeListener('exit', kill);
      await halt(true);
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
