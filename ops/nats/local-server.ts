// Finds and runs a local nats-server with JetStream, for integration tests and `guardyn up`.
//
// Only processes started here are ever stopped here: each LocalNatsServer stops its own child,
// and a process 'exit' hook sends SIGTERM to the children this process still owns.

import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SyncInterval } from '../../runtime/config-nats.ts';
import { REPO_ROOT } from '../../runtime/repo-root.ts';

/** Where `bash ops/install-nats-server.sh` puts the pinned build. */
export const REPO_NATS_SERVER_BIN: string = path.join(REPO_ROOT, '.tmp', 'bin', 'nats-server');

/** Environment variable naming the nats-server binary explicitly; when set it is the only candidate. */
export const NATS_SERVER_BIN_ENV = 'GUARDYN_NATS_SERVER_BIN';

const DEBIAN_NATS_SERVER_BIN = '/usr/sbin/nats-server';
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;
const STDERR_TAIL_BYTES = 8 * 1024;

export const NATS_INSTALL_HINT =
  'Install it with `bash ops/install-nats-server.sh` (builds the pinned nats-server into .tmp/bin/), ' +
  'or `apt-get install nats-server` (Debian 2.9), ' +
  `or point ${NATS_SERVER_BIN_ENV} at a nats-server binary, ` +
  'or set GUARDYN_MESSAGING__NATS_URL to use an existing server.';

/** No usable nats-server binary was found (or the one named does not exist / is not executable). */
export class NatsServerNotFound extends Error {
  readonly code = 'NATS_SERVER_NOT_FOUND';
  readonly searched: readonly string[];

  constructor(searched: readonly string[]) {
    super(`nats-server not found (looked at: ${searched.join(', ')}). ${NATS_INSTALL_HINT}`);
    this.name = 'NatsServerNotFound';
    this.searched = searched;
  }
}

/** The binary was found but the server did not become ready (it exited, or timed out). */
export class NatsServerStartError extends Error {
  readonly code = 'NATS_SERVER_START_FAILED';
  readonly stderrTail: string;

  constructor(message: string, stderrTail: string) {
    super(
      stderrTail.trim() === '' ? message : `${message}\n--- nats-server output (tail) ---\n${stderrTail.trimEnd()}`,
    );
    this.name = 'NatsServerStartError';
    this.stderrTail = stderrTail;
  }
}

export interface LocalNatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The server's version as announced in its INFO line, e.g. `2.14.9`. */
  readonly version: string;
  /** The sync policy the server runs with: the one asked for, or `server default` (none asked, or a server before 2.10). */
  readonly sync: string;
  /** Settles when the server process has exited, for whatever reason (stop(), a crash, a kill). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** SIGTERM, wait for exit, SIGKILL after 5 s. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartNatsServerOptions {
  /** JetStream store directory (created if missing). */
  storeDir: string;
  /** Client port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** Binary to run; default `findNatsServer()`. */
  binary?: string;
  /** Append the server's log output to this file as well. */
  logFile?: string;
  /**
   * JetStream's file store sync policy (`sync_interval`): `always` syncs every write before
   * it is acknowledged; a duration bounds the window. Omitted: the server's default (2m),
   * which is what test servers use. Servers before 2.10 do not know the option: it is left
   * out there and `sync` says `server default`.
   */
  syncInterval?: SyncInterval;
  /** Serve nats-server's monitoring endpoints (/varz, /jsz) on 127.0.0.1:<port>; omitted: none. */
  monitorPort?: number;
}

/** The nats-server version of a binary (`nats-server --version`), e.g. [2, 14, 9]; undefined when it cannot be read. */
export function natsServerVersion(binary: string): readonly [number, number, number] | undefined {
  try {
    const out = execFileSync(binary, ['--version'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(out);
    return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
  } catch {
    return undefined;
  }
}

/** Whether a server of this version accepts `sync_interval` (2.10 and later; unknown: assumed recent). */
export function supportsSyncInterval(version: readonly [number, number, number] | undefined): boolean {
  return version === undefined || version[0] > 2 || (version[0] === 2 && version[1] >= 10);
}

/**
 * The configuration file of a local server: JetStream on `storeDir`, with `sync_interval`
 * when one is asked for (and the server knows the option). Address, port and ports file stay
 * on the command line.
 */
export function localServerConfig(options: {
  storeDir: string;
  syncInterval?: SyncInterval | undefined;
  serverKnowsSync: boolean;
  monitorPort?: number | undefined;
}): string {
  const lines = ['# Written by Guardyn (ops/nats/local-server.ts) for a local single-node nats-server.'];
  if (options.monitorPort !== undefined) lines.push(`http: "127.0.0.1:${options.monitorPort}"`);
  lines.push('jetstream {', `  store_dir: ${JSON.stringify(options.storeDir)}`);
  if (options.syncInterval !== undefined && options.serverKnowsSync) {
    lines.push(
      '  # One node: no quorum covers a power loss, so the window of acknowledged writes not yet on disk is set here',
      `  # (GUARDYN_NATS__SYNC_INTERVAL; docs/OPERATIONS.md).`,
      `  sync_interval: ${options.syncInterval === 'always' ? 'always' : JSON.stringify(options.syncInterval.text)}`,
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function candidates(): string[] {
  const fromEnv = process.env[NATS_SERVER_BIN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return [path.resolve(fromEnv)];
  const onPath = (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, 'nats-server'));
  return [REPO_NATS_SERVER_BIN, ...onPath, DEBIAN_NATS_SERVER_BIN];
}

function describeCandidates(): string[] {
  const fromEnv = process.env[NATS_SERVER_BIN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return [`${NATS_SERVER_BIN_ENV}=${fromEnv}`];
  return [REPO_NATS_SERVER_BIN, 'nats-server on PATH', DEBIAN_NATS_SERVER_BIN];
}

/**
 * The nats-server binary to use: `$GUARDYN_NATS_SERVER_BIN` (when set, it is the only candidate,
 * so a wrong setting is reported rather than silently replaced), else `<repo>/.tmp/bin/nats-server`,
 * else `nats-server` on PATH, else `/usr/sbin/nats-server`.
 */
export function findNatsServer(): string | undefined {
  return candidates().find(isExecutableFile);
}

// ---- children this process owns, terminated when it exits ----

/** Live children → their synchronous cleanup (temp files). */
const owned = new Map<ChildProcess, () => void>();
let exitHookInstalled = false;

function own(child: ChildProcess, cleanupSync: () => void): void {
  owned.set(child, cleanupSync);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [c, cleanupChild] of owned) {
        try {
          c.kill('SIGTERM');
        } catch {
          // already gone
        }
        try {
          cleanupChild();
        } catch {
          // best effort
        }
      }
    });
  }
}

// ---- helpers ----

function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close((err) => (err ? reject(err) : port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Connects once and reads the server's `INFO {...}` line; resolves with the parsed JSON. */
function readInfo(port: number, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (err: Error | undefined, info?: Record<string, unknown>): void => {
      socket.destroy();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(info ?? {});
    };
    const timer = setTimeout(() => done(new Error('timed out reading INFO')), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      const eol = buf.indexOf('\r\n');
      if (eol < 0) {
        if (buf.length > 64 * 1024) done(new Error('no INFO line'));
        return;
      }
      const line = buf.slice(0, eol);
      if (!line.startsWith('INFO ')) return done(new Error(`unexpected greeting: ${line.slice(0, 80)}`));
      try {
        const info: unknown = JSON.parse(line.slice(5));
        if (typeof info !== 'object' || info === null) throw new Error('INFO is not an object');
        done(undefined, info as Record<string, unknown>);
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    });
    socket.on('error', (err) => done(err));
    socket.on('end', () => done(new Error('connection closed before INFO')));
  });
}

/** The client URLs from nats-server's ports file (`--ports_file_dir`), once it is complete. */
function readPortsFile(file: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const urls = (parsed as { nats?: unknown }).nats;
    return Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string') : undefined;
  } catch {
    return undefined; // not written yet, or written half-way
  }
}

/** Resolves on 'close': the process has exited and its output pipes are drained. */
function waitForClose(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('close', () => resolve()));
}

// ---- start ----

type Attempt =
  | { readonly kind: 'ready'; readonly server: LocalNatsServer }
  | { readonly kind: 'port-in-use'; readonly tail: string };

async function startOnce(
  binary: string,
  storeDir: string,
  port: number,
  logFile: string | undefined,
  syncInterval: SyncInterval | undefined,
  serverKnowsSync: boolean,
  monitorPort: number | undefined,
): Promise<Attempt> {
  // The ports file names the pid and the port the server actually bound: it tells our server
  // apart from any other process that might have taken the port between our probe and its bind.
  const portsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-nats-ports-'));
  const configFile = path.join(portsDir, 'nats-server.conf');
  fs.writeFileSync(configFile, localServerConfig({ storeDir, syncInterval, serverKnowsSync, monitorPort }));
  const args = ['-c', configFile, '-a', '127.0.0.1', '-p', String(port), '--ports_file_dir', portsDir];

  const log = logFile === undefined ? undefined : fs.createWriteStream(logFile, { flags: 'a' });
  let tail = '';
  const collect = (chunk: Buffer): void => {
    if (log !== undefined && !log.writableEnded) log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  };

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const spawnFailed = new Promise<Error>((resolve) => child.on('error', resolve));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = waitForClose(child);
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const removePortsDir = (): void => fs.rmSync(portsDir, { recursive: true, force: true });
  const cleanup = (): void => {
    owned.delete(child);
    log?.end();
    removePortsDir();
  };

  if (child.pid === undefined) {
    // spawn failed (binary vanished, not executable, ...): 'error' is emitted, 'exit' may not be.
    const err = (await spawnFailed) as NodeJS.ErrnoException;
    cleanup();
    if (err.code === 'ENOENT' || err.code === 'EACCES') throw new NatsServerNotFound([binary]);
    throw new NatsServerStartError(`could not run ${binary}: ${err.message}`, tail);
  }
  own(child, removePortsDir);
  const pid = child.pid;
  const portsFile = path.join(portsDir, `${path.basename(binary)}_${pid}.ports`);
  const url = `nats://127.0.0.1:${port}`;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let version: string | undefined;
  let lastError = 'no ports file yet';
  while (version === undefined) {
    if (hasExited) {
      cleanup();
      if (/address already in use/i.test(tail)) return { kind: 'port-in-use', tail };
      throw new NatsServerStartError(
        `nats-server (${binary}) exited during startup (code ${String(child.exitCode)}, signal ${String(child.signalCode)})`,
        tail,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      cleanup();
      throw new NatsServerStartError(
        `nats-server (${binary}) was not ready on ${url} within ${READY_TIMEOUT_MS / 1000} s (last: ${lastError})`,
        tail,
      );
    }
    const urls = readPortsFile(portsFile);
    if (urls !== undefined && !urls.includes(url)) {
      // Listening, but not where we asked: should not happen with an explicit -p.
      child.kill('SIGKILL');
      await exited;
      cleanup();
      throw new NatsServerStartError(`nats-server listens on ${urls.join(', ')}, not ${url}`, tail);
    }
    if (urls !== undefined) {
      try {
        const info = await readInfo(port, 1_000);
        version = typeof info['version'] === 'string' ? info['version'] : 'unknown';
        break;
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
    await sleep(25);
  }

  // Do not let the server's pipes keep this process alive on their own; the exit hook ends it.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) if (stream instanceof net.Socket) stream.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hasExited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    })();
    return stopping;
  };

  const sync =
    syncInterval === undefined || !serverKnowsSync
      ? 'server default'
      : syncInterval === 'always'
        ? 'always'
        : syncInterval.text;
  const exitedWith = exited.then(() => ({ code: child.exitCode, signal: child.signalCode }));
  return { kind: 'ready', server: { url, port, pid, version, sync, exited: exitedWith, stop } };
}

/**
 * Starts `nats-server -c <config: JetStream on storeDir, sync policy> -a 127.0.0.1 -p <port>` and resolves once it answers
 * with its INFO line. Throws NatsServerNotFound (with install instructions) when there is no
 * binary, NatsServerStartError (with the server's output tail) when it fails to come up in 10 s.
 */
export async function startNatsServer(options: StartNatsServerOptions): Promise<LocalNatsServer> {
  let binary: string;
  if (options.binary !== undefined) {
    binary = path.resolve(options.binary);
    if (!isExecutableFile(binary)) throw new NatsServerNotFound([binary]);
  } else {
    const found = findNatsServer();
    if (found === undefined) throw new NatsServerNotFound(describeCandidates());
    binary = found;
  }
  const storeDir = path.resolve(options.storeDir);
  fs.mkdirSync(storeDir, { recursive: true });

  const fixedPort = options.port !== undefined && options.port !== 0 ? options.port : undefined;
  if (fixedPort !== undefined && (!Number.isInteger(fixedPort) || fixedPort < 1 || fixedPort > 65535)) {
    throw new RangeError(`invalid port ${fixedPort}`);
  }
  const attempts = fixedPort === undefined ? PORT_ATTEMPTS : 1;
  const serverKnowsSync = options.syncInterval === undefined ? false : supportsSyncInterval(natsServerVersion(binary));
  let lastTail = '';
  for (let i = 0; i < attempts; i++) {
    const port = fixedPort ?? (await pickFreePort());
    const attempt = await startOnce(
      binary,
      storeDir,
      port,
      options.logFile,
      options.syncInterval,
      serverKnowsSync,
      options.monitorPort,
    );
    if (attempt.kind === 'ready') return attempt.server;
    lastTail = attempt.tail; // another process took the port between our probe and the bind
  }
  throw new NatsServerStartError(
    fixedPort === undefined
      ? `nats-server could not bind a free port on 127.0.0.1 after ${attempts} attempts`
      : `port ${fixedPort} on 127.0.0.1 is already in use`,
    lastTail,
  );
}
