/**
 * `guardyn up` (what `npm start` runs) as a separate process, treated as a
 * black box: started with environment variables only (a temporary data dir,
 * free ports, a test nats-server), ready once its four gRPC ports accept
 * connections, stopped with SIGTERM to its pid.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../runtime/free-port.ts';
import { storesEnv, tempDataDir, TEST_ENV } from './guardyn.ts';

const GUARDYN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'guardyn.js');
const LOG_TAIL_BYTES = 16 * 1024;

export interface GuardynUpProcess {
  readonly pid: number;
  readonly dataDir: string;
  /** The gRPC ports of the four services. */
  readonly ports: {
    readonly auth: number;
    readonly messaging: number;
    readonly presence: number;
    readonly media: number;
  };
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  logTail(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 30 s; removes the data dir. Idempotent. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `node bin/guardyn.js up` against `natsUrl` and waits (up to `readyTimeoutMs`) until its gRPC ports accept connections. */
export async function startGuardynUp(
  natsUrl: string,
  options: { env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<GuardynUpProcess> {
  const dataDir = tempDataDir();
  const ports = {
    auth: await freePort(),
    messaging: await freePort(),
    presence: await freePort(),
    media: await freePort(),
  };
  const env: Record<string, string> = {
    ...TEST_ENV,
    GUARDYN_LOG_LEVEL: 'warn',
    ...(await storesEnv(dataDir)),
    GUARDYN_MESSAGING__NATS_URL: natsUrl,
    GUARDYN_AUTH__PORT: String(ports.auth),
    GUARDYN_MESSAGING__PORT: String(ports.messaging),
    GUARDYN_PRESENCE__PORT: String(ports.presence),
    GUARDYN_MEDIA__PORT: String(ports.media),
    GUARDYN_MEDIA__HTTP_PORT: String(await freePort()),
    GUARDYN_MESSAGING__WEBSOCKET_PORT: String(await freePort()),
    GUARDYN_NOTIFICATIONS__PORT: String(await freePort()),
    GUARDYN_CALLS__GRPC_PORT: String(await freePort()),
    GUARDYN_CALLS__WEBSOCKET_PORT: String(await freePort()),
    GUARDYN_METRICS__PORT: 'off',
    ...options.env,
  };
  const child = spawn(process.execPath, [GUARDYN, 'up'], {
    env: { ...process.env, ...env },
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-LOG_TAIL_BYTES);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited(child);
        clearTimeout(killer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  try {
    for (const port of Object.values(ports)) {
      while (!(await accepts(port))) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(
            `guardyn up exited (${child.exitCode ?? child.signalCode}) before port ${port} listened:\n${tail}`,
          );
        if (Date.now() > deadline)
          throw new Error(
            `guardyn up: port ${port} not listening after ${options.readyTimeoutMs ?? 90_000} ms:\n${tail}`,
          );
        await sleep(200);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid!, dataDir, ports, logTail: () => tail, stop };
}
