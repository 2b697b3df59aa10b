/**
 * `npm run bench -- sockets [--sockets=10000] [--users=100] [--profile=1]`: idle authenticated WebSockets on a
 * freshly started messaging process, each measurement its own process (a warm process, with its heap already
 * grown by earlier figures, undercounts the memory a socket adds):
 *
 *   memory per idle authenticated socket  RSS growth of the fresh process / sockets open   target <= 40 KB
 *   authentication time                   first connect to the last auth_response          target <= 4 s
 *
 * The clients run in two child processes (each holds half the fds: the container allows ~20,000 per process).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serviceClient } from '../gateways/grpc/client.ts';
import { freePort, startRole, websocketBenchEnv, type RoleProcess } from './guardyn-process.ts';
import { describeMachine, processCpuMs } from './machine.ts';
import { summarizeProfile } from './profile.ts';
import { parsePositiveInt, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { rateOnly, type Stats } from './stats.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'bench password 12345';

export const TARGET_KB_PER_SOCKET = 40;
export const TARGET_AUTH_SECONDS = 4;

export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** A bench script of this folder in a child process; `line`: the first line it prints. */
export function child(script: string, args: string[]): { proc: ChildProcess; line: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => proc.kill('SIGKILL'));
  const line = new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { proc, line };
}

export interface IdleSocketsFigure {
  readonly open: number;
  readonly failed: number;
  readonly bytesPerSocket: number;
  /** From the first connect to the last auth_response (or open, raw), over both client processes. */
  readonly seconds: number;
  /** CPU time of the measured process from before the first connect until every socket is open: per socket, µs. */
  readonly cpuUsPerSocket: number;
}

/**
 * Opens `count` idle sockets to `url` from two child processes (authenticated with `tokens`, or raw when
 * empty) and measures the growth of `pid`'s RSS once they are open and 5 s have passed.
 */
export async function measureIdleSockets(
  pid: number,
  url: string,
  tokens: readonly string[],
  count: number,
  workDir: string,
  firstAddress: number,
): Promise<IdleSocketsFigure> {
  const before = rssBytes(pid);
  const cpuBefore = processCpuMs(pid) ?? NaN;
  const tokensFile = path.join(workDir, `tokens-${firstAddress}.json`);
  fs.writeFileSync(tokensFile, JSON.stringify(tokens));
  const halves = [Math.ceil(count / 2), Math.floor(count / 2)];
  const kids = halves.map((n, k) =>
    child('realtime-sockets.ts', [url, String(n), tokens.length ? tokensFile : '', String(firstAddress + k)]),
  );
  try {
    const results = await Promise.all(
      kids.map(
        async (k) => JSON.parse(await k.line) as { open: number; failed: number; startedAt: number; endedAt: number },
      ),
    );
    const open = results.reduce((n, r) => n + r.open, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const seconds = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
    const cpuUsPerSocket = (((processCpuMs(pid) ?? NaN) - cpuBefore) * 1000) / Math.max(1, open);
    await sleep(5000);
    const grown = rssBytes(pid) - before;
    return { open, failed, bytesPerSocket: grown / Math.max(1, open), seconds, cpuUsPerSocket };
  } finally {
    for (const k of kids) k.proc.kill('SIGKILL');
  }
}

/** Rows for a figure, each beside its target. */
export function idleSocketRows(name: string, f: IdleSocketsFigure): Stats[] {
  const kb = f.bytesPerSocket / 1024;
  return [
    rateOnly(
      `${name}: memory`,
      f.open,
      1,
      `${kb.toFixed(1)} KB RSS per socket (target <= ${TARGET_KB_PER_SOCKET} KB: ${kb <= TARGET_KB_PER_SOCKET ? 'met' : 'missed'})${f.failed ? `, ${f.failed} failed` : ''}`,
    ),
    rateOnly(
      `${name}: connect+auth`,
      f.open,
      f.seconds,
      `${f.seconds.toFixed(2)} s for ${f.open} sockets (target <= ${TARGET_AUTH_SECONDS} s at 10,000: ${f.seconds <= TARGET_AUTH_SECONDS ? 'met' : 'missed'}; server CPU ${f.cpuUsPerSocket.toFixed(0)} µs per socket, less disturbed by other load than the time)`,
    ),
  ];
}

export async function benchSockets(a: BenchArgs): Promise<void> {
  const count = parsePositiveInt(a.raw['sockets'] ?? '10000', 'sockets');
  const userCount = parsePositiveInt(a.raw['users'] ?? '100', 'users');
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-sockets-'));
  const wsPort = await freePort();
  const env = websocketBenchEnv(nats.server.url, dataDir, wsPort);
  const profileDir = a.raw['profile'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-prof-sockets-')) : undefined;
  const stops: (() => Promise<void> | void)[] = [];
  try {
    const auth = await startRole('auth', env);
    stops.push(() => auth.stop());
    // The sessions view answers the session check of each auth (without it each goes to the stream).
    const projections = await startRole('projections', env);
    stops.push(() => projections.stop());
    const authClient = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${auth.port}`);
    stops.push(() => authClient.close());
    const tokens: string[] = [];
    for (let i = 0; i < userCount; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, userCount - i) }, (_, j) =>
          authClient.Register!({ username: `sk_${process.pid}_${i + j}`, password: PASSWORD }),
        ),
      );
      for (const r of batch) {
        if (r['result'] !== 'success')
          throw new Error(`registering a bench user failed: ${JSON.stringify(r['error'])}`);
        tokens.push(r['success'].access_token as string);
      }
    }
    await sleep(2000); // the sessions view has the new sessions
    // A fresh messaging process for this measurement only, settled before the sockets come.
    const messaging: RoleProcess = await startRole('messaging', env, profileDir ? { cpuProfileDir: profileDir } : {});
    stops.push(() => messaging.stop());
    await sleep(3000);
    const baseRss = rssBytes(messaging.pid);
    const figure = await measureIdleSockets(messaging.pid, `ws://127.0.0.1:${wsPort}/ws`, tokens, count, dataDir, 20);
    printReport({
      title: 'sockets',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `${count} idle authenticated sockets (tokens of ${userCount} users) on a freshly started messaging process (RSS ${(baseRss / 1048576).toFixed(0)} MiB before); clients in 2 child processes; load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      ],
      rows: idleSocketRows('gateway idle authenticated sockets', figure),
    });
  } finally {
    for (const stop of stops.reverse()) await stop();
    if (profileDir) {
      const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file)
        console.log(
          [
            `cpu profile of messaging (${path.join(profileDir, file)}):`,
            ...summarizeProfile(path.join(profileDir, file)),
          ].join('\n'),
        );
    }
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
