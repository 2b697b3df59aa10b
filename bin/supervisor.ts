/**
 * `guardyn up` as a small supervisor: it starts the local nats-server (unless
 * GUARDYN_MESSAGING__NATS_URL names one) and the serving part in child processes,
 * one per role group (`guardyn serve <roles>`: UP_GROUPS, the views and the gateways),
 * and keeps them running:
 *
 * - a process that dies is started again after the wait of runtime/restart-backoff.ts
 *   (0.1 s the first time, doubling in a crash loop up to 30 s, reset after a minute of
 *   health), the reason (exit code or signal) logged;
 * - a serving process is ready when it says so over its IPC channel; the pid of each
 *   is logged (childPid) and written to `<dataDir>/run/serve-<group>.pid` while it runs;
 * - a start that fails the very first time (a port in use, a bad store) is not retried:
 *   `guardyn up` stops what it started and exits 1, as before;
 * - SIGINT and SIGTERM stop the serving processes (SIGTERM, SIGKILL after 20 s), then
 *   the nats-server, and exit 0. A serving process whose supervisor is gone (its IPC
 *   channel closed) stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { RestartBackoff, type RestartPolicy } from '../runtime/restart-backoff.ts';
import { REPO_ROOT } from '../runtime/repo-root.ts';
import { startConfiguredNats } from './context.ts';
import { type Role } from './app.ts';
import { turnUnitOf } from './turn-unit.ts';
import type { ExitReason, RunningUnit, Unit } from './unit.ts';

export type { ExitReason, RunningUnit, Unit } from './unit.ts';

export function describeExit(reason: ExitReason): string {
  if (reason.signal !== null) return `killed by ${reason.signal}`;
  return `exit code ${String(reason.code)}`;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Keeps units running: starts them in order (each ready before the next) and, while
 * not stopping, starts one again after it dies.
 */
export class Supervisor {
  private readonly running = new Map<string, RunningUnit>();
  private readonly loops: Promise<void>[] = [];
  /** Starts in progress or processes started, until they have exited: stop() waits for them. */
  private readonly launches = new Set<Promise<void>>();
  private readonly stopSignal = new AbortController();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly units: readonly Unit[],
    private readonly logger: Logger,
    private readonly policy?: RestartPolicy,
  ) {}

  /** Starts every unit; a unit that fails its first start stops the ones before it and rejects. */
  async start(): Promise<void> {
    for (const unit of this.units) {
      if (this.stopSignal.signal.aborted) return;
      let running: RunningUnit;
      try {
        running = await this.launch(unit, 0);
      } catch (err) {
        await this.stop();
        throw err;
      }
      this.running.set(unit.name, running);
      this.logger.info({ unit: unit.name, childPid: running.pid }, 'process ready');
      if (this.stopSignal.signal.aborted) {
        await running.stop();
        return;
      }
      this.loops.push(this.keep(unit, running));
    }
  }

  /** unit.start, remembered until it settles so that stop() waits for it. */
  private launch(unit: Unit, restarts: number): Promise<RunningUnit> {
    const started = Promise.resolve().then(() =>
      unit.start(
        (pid) => this.logger.info({ unit: unit.name, childPid: pid, restarts }, 'process started'),
        this.stopSignal.signal,
      ),
    );
    const settled = started.then(
      (r) => r.exited.then(() => undefined),
      () => undefined,
    );
    this.launches.add(settled);
    void settled.then(() => this.launches.delete(settled));
    return started;
  }

  private async keep(unit: Unit, first: RunningUnit): Promise<void> {
    const backoff = new RestartBackoff(this.policy);
    let running: RunningUnit | undefined = first;
    let readyAt = Date.now();
    let restarts = 0;
    for (;;) {
      const reason: ExitReason = running === undefined ? { code: null, signal: null } : await running.exited;
      if (this.stopSignal.signal.aborted) return;
      const healthyMs = running === undefined ? 0 : Date.now() - readyAt;
      const delayMs = backoff.next(healthyMs);
      if (running !== undefined) {
        this.logger.error(
          {
            unit: unit.name,
            childPid: running.pid,
            reason: describeExit(reason),
            code: reason.code,
            signal: reason.signal,
            healthyMs,
            restartInMs: delayMs,
            failuresInARow: backoff.failures,
          },
          'process died: starting it again',
        );
      }
      this.running.delete(unit.name);
      running = undefined;
      await sleep(delayMs, this.stopSignal.signal);
      if (this.stopSignal.signal.aborted) return;
      restarts += 1;
      try {
        const started = await this.launch(unit, restarts);
        if (this.stopSignal.signal.aborted) {
          await started.stop();
          return;
        }
        running = started;
        readyAt = Date.now();
        this.running.set(unit.name, running);
        this.logger.info({ unit: unit.name, childPid: running.pid, restarts }, 'process ready');
      } catch (err) {
        this.logger.error(
          { unit: unit.name, err: (err as Error).message, failuresInARow: backoff.failures },
          'process could not be started again',
        );
      }
    }
  }

  /** Stops the units in reverse order of start. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopSignal.abort();
      for (const unit of [...this.units].reverse()) {
        const running = this.running.get(unit.name);
        if (running === undefined) continue;
        await running
          .stop()
          .catch((err: Error) => this.logger.error({ unit: unit.name, err: err.message }, 'stop failed'));
        this.running.delete(unit.name);
      }
      await Promise.all(this.loops);
      await Promise.all(this.launches);
    })();
    return this.stopping;
  }

  /** The pid of each running unit (for tests and logs). */
  pids(): Record<string, number> {
    return Object.fromEntries([...this.running].map(([name, r]) => [name, r.pid]));
  }
}

// ---------------------------------------------------------------------------
// The units of `guardyn up`
// ---------------------------------------------------------------------------

/** What a serving process sends over IPC once its roles are started. */
export interface ReadyMessage {
  readonly type: 'guardyn-ready';
  readonly pid: number;
}

export function isReadyMessage(m: unknown): m is ReadyMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'guardyn-ready';
}

/** A set of roles run by one serving process. */
export interface RoleGroup {
  readonly name: string;
  readonly roles: readonly Role[];
}

/**
 * Two serving processes, so that a 2-core machine uses both cores: the views (the projection
 * workers) and the gateways (auth, messaging with its WebSocket gateway, presence, media, calls, whose
 * thumbnails are decoded in worker threads, and notifications with gRPC-Web and the web client:
 * gRPC-Web dispatches in-process, so every gRPC service shares the process of the HTTP server).
 * The views start first, so the gateways open on views that have caught up. Together they run
 * every role (checked by the tests); docs/OPERATIONS.md says why this split.
 */
export const UP_GROUPS: readonly RoleGroup[] = [
  { name: 'views', roles: ['projections'] },
  { name: 'gateways', roles: ['auth', 'messaging', 'presence', 'media', 'notifications', 'calls'] },
];

/** Every role of `groups`, each once: what `guardyn up` runs. */
export function rolesOf(groups: readonly RoleGroup[]): Role[] {
  return [...new Set(groups.flatMap((g) => g.roles))];
}

/** Where the pid of a group's serving process is written while it runs. */
export function servePidFile(dataDir: string, group: string): string {
  return path.join(dataDir, 'run', `serve-${group}.pid`);
}

const GUARDYN_JS = path.join(REPO_ROOT, 'bin', 'guardyn.js');
const STOP_GRACE_MS = 20_000;

/** `guardyn serve <roles>` in a child process, ready when it says so (or failed when it exits first). */
export function servingUnit(
  group: RoleGroup,
  options: { env: NodeJS.ProcessEnv; dataDir: string; readyTimeoutMs?: number; extraEnv?: NodeJS.ProcessEnv },
): Unit {
  const pidFile = servePidFile(options.dataDir, group.name);
  return {
    name: `serve-${group.name}`,
    start(spawned, signal) {
      const args = [GUARDYN_JS, 'serve', group.roles.join(',')];
      const child: ChildProcess = spawn(
        process.execPath,
        [...process.execArgv.filter((a) => !a.startsWith('--inspect')), ...args],
        {
          cwd: process.cwd(),
          // Read at each start: the local nats-server's url is known only once it runs.
          env: { ...options.env, ...options.extraEnv },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        },
      );
      const exited = new Promise<ExitReason>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.once('error', () => resolve({ code: child.exitCode, signal: child.signalCode }));
      });
      const pid = child.pid;
      if (pid !== undefined) {
        fs.mkdirSync(path.dirname(pidFile), { recursive: true });
        fs.writeFileSync(pidFile, `${pid}\n`);
        spawned(pid);
      }
      void exited.then(() => {
        // Only this child's pid is removed: a newer one may have written the file since.
        try {
          if (fs.readFileSync(pidFile, 'utf8').trim() === String(pid)) fs.rmSync(pidFile, { force: true });
        } catch {
          // already gone
        }
      });
      let stopping: Promise<void> | undefined;
      const stop = () =>
        (stopping ??= (async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const hard = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          await exited;
          clearTimeout(hard);
        })());
      const onAbort = () => void stop();
      signal.addEventListener('abort', onAbort, { once: true });
      void exited.then(() => signal.removeEventListener('abort', onAbort));
      return new Promise<RunningUnit>((resolve, reject) => {
        const timeoutMs = options.readyTimeoutMs ?? 120_000;
        const timer = setTimeout(() => {
          void stop();
          reject(new Error(`guardyn serve ${group.roles.join(',')} was not ready within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        child.on('message', (m: unknown) => {
          if (!isReadyMessage(m)) return;
          clearTimeout(timer);
          resolve({ pid: pid!, exited, stop });
        });
        void exited.then((reason) => {
          clearTimeout(timer);
          reject(
            new Error(`guardyn serve ${group.roles.join(',')} ended before it was ready (${describeExit(reason)})`),
          );
        });
      });
    },
  };
}

/** The local nats-server, started again on the same port and store when it dies (the serving processes reconnect). */
export function natsUnit(config: GuardynConfig, logger: Logger, onUrl: (url: string) => void): Unit {
  let port = config.localNats.port;
  return {
    name: 'nats-server',
    async start(spawned) {
      const server = await startConfiguredNats({ ...config, localNats: { ...config.localNats, port } }, logger);
      port = server.port; // a restart binds the same port, which the serving processes know
      spawned(server.pid);
      onUrl(server.url);
      return { pid: server.pid, exited: server.exited, stop: () => server.stop() };
    },
  };
}

/**
 * The metrics port of the i-th serving process: GUARDYN_METRICS__PORT for the first, the
 * next ports for the others (9090, 9091, ...); 0 (any free port) and off stay as they are.
 */
export function metricsPortOf(configured: number | undefined, index: number): string {
  if (configured === undefined) return 'off';
  if (configured === 0) return '0';
  const port = configured + index;
  if (port > 65535)
    throw new RangeError(`GUARDYN_METRICS__PORT ${configured} leaves no port for serving process ${index + 1}`);
  return String(port);
}

/** The units of `guardyn up` for this configuration. */
export function upUnits(config: GuardynConfig, logger: Logger, groups: readonly RoleGroup[] = UP_GROUPS): Unit[] {
  const units: Unit[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (config.natsUrl === undefined)
    units.push(natsUnit(config, logger, (url) => (env['GUARDYN_MESSAGING__NATS_URL'] = url)));
  // coturn (when installed) before the call service that hands out its credentials.
  const turn = turnUnitOf(config, logger);
  if (turn !== undefined) units.push(turn);
  groups.forEach((group, i) => {
    // Each process its own metrics port: two cannot bind one.
    units.push(
      servingUnit(group, {
        env,
        dataDir: config.dataDir,
        extraEnv: { GUARDYN_METRICS__PORT: metricsPortOf(config.metrics.port, i) },
      }),
    );
  });
  return units;
}
