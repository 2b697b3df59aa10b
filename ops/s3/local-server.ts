// Runs a local S3 API server (versitygw over a temporary directory) for the S3 blob adapter's
// tests and benchmark. Only the process started here is ever stopped here, by its pid.
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../runtime/repo-root.ts';
import { freePort } from '../../runtime/free-port.ts';

export const REPO_S3_SERVER_BIN = path.join(REPO_ROOT, '.tmp', 'bin', 'versitygw');
export const S3_SERVER_BIN_ENV = 'GUARDYN_S3_SERVER_BIN';
export const S3_INSTALL_HINT =
  'install it with `bash ops/install-s3-server.sh` (builds versitygw into .tmp/bin/), or point GUARDYN_S3_SERVER_BIN at a versitygw binary';

export interface LocalS3Server {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The versitygw binary to run, or undefined when none is installed. */
export function findS3Server(): string | undefined {
  const fromEnv = process.env[S3_SERVER_BIN_ENV];
  const file = fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : REPO_S3_SERVER_BIN;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
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

export async function startS3Server(options: { binary?: string; dataDir?: string } = {}): Promise<LocalS3Server> {
  const binary = options.binary ?? findS3Server();
  if (binary === undefined) throw new Error(`no S3 API server binary: ${S3_INSTALL_HINT}`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-s3-'));
  const ownDir = options.dataDir === undefined;
  const root = path.join(dataDir, 'root');
  const sidecar = path.join(dataDir, 'meta');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(sidecar, { recursive: true });
  const accessKey = 'guardyntest';
  const secretKey = 'guardyntestsecret0123456789';
  const port = await freePort();
  let stderr = '';
  const child = spawn(
    binary,
    [
      '--access',
      accessKey,
      '--secret',
      secretKey,
      '--port',
      `127.0.0.1:${port}`,
      '--quiet',
      'posix',
      '--sidecar',
      sidecar,
      root,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4096);
  });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`versitygw exited at start: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      kill();
      throw new Error(`versitygw did not listen on ${port} within 15 s: ${stderr.trim()}`);
    }
    await sleep(50);
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey,
    secretKey,
    pid: child.pid!,
    async stop() {
      process.removeListener('exit', kill);
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 5000);
        await exitedPromise;
        clearTimeout(timer);
      }
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
