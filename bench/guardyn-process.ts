/** Guardyn roles as child processes for benchmarks (`node bin/guardyn.js serve <role>`). */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../runtime/repo-root.ts';
import { freePort } from '../runtime/free-port.ts';
export { freePort };

/**
 * The environment of Guardyn roles in a benchmark: the bench's nats-server and
 * data dir, loopback only, quiet logs, and a registration limit the setup (all
 * users from one address) stays under. `cheapPasswords` lowers Argon2id for
 * benchmarks that do not measure logins.
 */
export function benchEnv(
  natsUrl: string,
  dataDir: string,
  options: { cheapPasswords: boolean },
): Record<string, string> {
  return {
    GUARDYN_MESSAGING__NATS_URL: natsUrl,
    GUARDYN_DATA_DIR: dataDir,
    GUARDYN_HOST: '127.0.0.1',
    GUARDYN_LOG_LEVEL: 'warn',
    GUARDYN_MESSAGING__WEBSOCKET_PORT: '0',
    // Several role processes on one machine: none binds the metrics port.
    GUARDYN_METRICS__PORT: 'off',
    GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS: '100000',
    ...(options.cheapPasswords
      ? {
          GUARDYN_AUTH__ARGON2_MEMORY_KIB: '1024',
          GUARDYN_AUTH__ARGON2_PASSES: '1',
          GUARDYN_AUTH__ARGON2_ALLOW_WEAK: '1',
        }
      : {}),
  };
}

/** benchEnv for a WebSocket gateway on `wsPort` that many sockets of few users may load freely (no frame or socket limits). */
export function websocketBenchEnv(natsUrl: string, dataDir: string, wsPort: number): Record<string, string> {
  return {
    ...benchEnv(natsUrl, dataDir, { cheapPasswords: true }),
    GUARDYN_MESSAGING__WEBSOCKET_PORT: String(wsPort),
    GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET: '0',
    GUARDYN_WEBSOCKET__MAX_SOCKETS_PER_USER: '1000',
  };
}

export interface RoleProcess {
  readonly pid: number;
  readonly port: number | undefined;
  stop(): Promise<void>;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`guardyn role exited with ${child.exitCode} before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`guardyn role did not listen on ${port} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Starts one role; gateway roles are ready once their port accepts connections. */
export async function startRole(
  role: 'auth' | 'messaging' | 'projections',
  env: Record<string, string>,
  options: { cpuProfileDir?: string; logFile?: string; root?: string } = {},
): Promise<RoleProcess> {
  const port = role === 'projections' ? undefined : await freePort();
  const execArgv = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  // root: another checkout of Guardyn (a baseline compared in the same run); default this one.
  const root = options.root ?? REPO_ROOT;
  const child = spawn(process.execPath, [...execArgv, path.join(root, 'bin', 'guardyn.js'), 'serve', role], {
    cwd: root,
    env: { ...process.env, ...env, ...(port === undefined ? {} : { GUARDYN_PORT: String(port) }) },
    // logFile: the role's log lines (stdout) appended there; otherwise dropped.
    stdio: ['ignore', options.logFile === undefined ? 'ignore' : fs.openSync(options.logFile, 'a'), 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  // Generous: on a machine shared with other suites a role takes long to compile and start.
  if (port !== undefined) await waitForPort(port, child, 120_000);
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    port,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const hard = setTimeout(() => {
          console.warn(`guardyn ${role} (pid ${child.pid}) did not stop within 20 s of SIGTERM; killing it`);
          child.kill('SIGKILL');
        }, 20_000);
        child.once('exit', () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill('SIGTERM');
      })),
  };
}
