// Runs the TiKV/PD stand-in (ops/tikv, built by ops/install-tikv-mock.sh) for the TiKV
// adapter's tests and benchmark, and drives its control endpoint (split a region, move a
// leader, make a store busy). Only the process started here is ever stopped here, by its pid.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT } from '../../../runtime/repo-root.ts';

export const REPO_TIKV_MOCK_BIN = path.join(REPO_ROOT, '.tmp', 'bin', 'guardyn-mock-tikv');
export const TIKV_MOCK_BIN_ENV = 'GUARDYN_TIKV_MOCK_BIN';
export const TIKV_INSTALL_HINT =
  'install it with `bash ops/install-tikv-mock.sh` (builds the TiKV/PD stand-in into .tmp/bin/), or point GUARDYN_TIKV_MOCK_BIN at one';

export interface MockRegion {
  readonly id: string;
  readonly startKey: string;
  readonly endKey: string;
  readonly confVer: string;
  readonly version: string;
  readonly leaderStore: string;
  readonly stores: string[];
}

export interface MockTikv {
  /** host:port of PD. */
  readonly pd: string;
  readonly stores: Readonly<Record<string, string>>;
  readonly clusterId: string;
  readonly pid: number;
  regions(): Promise<MockRegion[]>;
  /** Splits the region holding `key` at `key`. */
  split(key: Uint8Array): Promise<MockRegion[]>;
  /** Moves the leader of the region holding `key` to `store`, or to the next store. */
  transferLeader(key: Uint8Array, store?: string): Promise<MockRegion[]>;
  /** Takes a store down (its requests fail with UNAVAILABLE) or brings it back. */
  setStore(store: string, state: 'up' | 'down'): Promise<void>;
  /** The next `count` requests to `store` answer ServerIsBusy. */
  busy(store: string, count: number): Promise<void>;
  stop(): Promise<void>;
}

export function findTikvMock(): string | undefined {
  const fromEnv = process.env[TIKV_MOCK_BIN_ENV];
  const file = fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : REPO_TIKV_MOCK_BIN;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}

export async function startTikvMock(options: { binary?: string; stores?: number } = {}): Promise<MockTikv> {
  const binary = options.binary ?? findTikvMock();
  if (binary === undefined) throw new Error(`no TiKV stand-in binary: ${TIKV_INSTALL_HINT}`);
  // The stand-in exits when its stdin closes, so it never outlives this process, however it ends.
  const child = spawn(binary, ['-stores', String(options.stores ?? 3), '-exit-on-stdin-eof'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
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
  const lines = readline.createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the TiKV stand-in printed no address within 15 s: ${stderr.trim()}`)),
      15_000,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the TiKV stand-in exited at start: ${stderr.trim()}`));
    });
  }).catch((error: unknown) => {
    kill();
    throw error;
  });
  lines.close();
  // Nothing more comes on stdout; neither the child nor its pipes keep this process alive
  // (a stand-in left running is killed when the process exits).
  child.stdout.destroy();
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  const info = JSON.parse(first) as { pd: string; control: string; stores: Record<string, string>; clusterId: string };
  const control = async (pathAndQuery: string): Promise<MockRegion[]> => {
    const res = await fetch(`http://${info.control}${pathAndQuery}`, { method: 'POST' });
    const body = (await res.json()) as { regions?: MockRegion[]; error?: string };
    if (!res.ok) throw new Error(`TiKV stand-in control ${pathAndQuery}: ${body.error ?? res.status}`);
    return body.regions ?? [];
  };
  const hexOf = (key: Uint8Array) => Buffer.from(key).toString('hex');
  return {
    pd: info.pd,
    stores: info.stores,
    clusterId: info.clusterId,
    pid: child.pid!,
    regions: () => control('/regions'),
    split: (key) => control(`/split?key=${hexOf(key)}`),
    transferLeader: (key, store) =>
      control(`/transfer-leader?key=${hexOf(key)}${store === undefined ? '' : `&store=${store}`}`),
    setStore: async (store, state) => {
      await control(`/store?store=${store}&state=${state}`);
    },
    busy: async (store, count) => {
      await control(`/busy?store=${store}&count=${count}`);
    },
    stop: async () => {
      process.removeListener('exit', kill);
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(kill, 3000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
