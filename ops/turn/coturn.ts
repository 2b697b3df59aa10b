/**
 * Runs coturn (Debian's `turnserver`) as a child process, for `guardyn up` (a supervised unit,
 * bin/supervisor.ts) and for the browser call test. Its options go into a configuration file
 * readable only by its owner (`<runDir>/turnserver.conf`), never on the command line, so that the
 * TURN REST secret does not show in the process list. Ready once its TCP listener accepts.
 *
 * Only the process started here is ever stopped here (by its pid).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TurnConfig } from '../../runtime/config-turn.ts';

export const TURN_INSTALL_HINT =
  "install it with `bash ops/install-coturn.sh` (Debian's coturn package), or point GUARDYN_TURN__BIN at a turnserver binary";

const CANDIDATES = ['/usr/bin/turnserver', '/usr/local/bin/turnserver'];
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_BYTES = 8 * 1024;

/** The turnserver to run: the configured one (which must exist), else one on PATH or in the usual places; undefined when none. */
export function findTurnserver(bin: string | undefined): string | undefined {
  if (bin !== undefined) return fs.existsSync(bin) ? bin : undefined;
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v turnserver'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (onPath !== '') return onPath;
  } catch {
    // not on PATH
  }
  return CANDIDATES.find((c) => fs.existsSync(c));
}

/** The address coturn's listener is reached on from this machine (for the readiness check). */
function localAddress(listenIp: string): string {
  if (listenIp === '0.0.0.0') return '127.0.0.1';
  if (listenIp === '::') return '::1';
  return listenIp;
}

/** The relay address: configured, or the listening address when it is one address (coturn picks otherwise). */
function relayIpOf(turn: TurnConfig): string | undefined {
  if (turn.relayIp !== undefined) return turn.relayIp;
  return turn.listenIp === '0.0.0.0' || turn.listenIp === '::' ? undefined : turn.listenIp;
}

/** coturn's configuration file for `turn` (one option a line, as turnserver.conf takes them). */
export function coturnConfig(turn: TurnConfig, secret: string, runDir: string): string {
  const lines: string[] = [
    '# Written by Guardyn at each start (ops/turn/coturn.ts); changes here are overwritten.',
    `listening-ip=${turn.listenIp}`,
    `listening-port=${turn.port}`,
    `min-port=${turn.relayPorts.min}`,
    `max-port=${turn.relayPorts.max}`,
    'fingerprint',
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    `realm=${turn.realm}`,
    'no-cli',
    'no-multicast-peers',
    'no-software-attribute',
    'stale-nonce=600',
    `pidfile=${path.join(runDir, 'turnserver.pid')}`,
    `userdb=${path.join(runDir, 'turndb')}`,
    'log-file=stdout',
    'simple-log',
  ];
  const relayIp = relayIpOf(turn);
  if (relayIp !== undefined) lines.push(`relay-ip=${relayIp}`);
  if (turn.externalIp !== undefined) lines.push(`external-ip=${turn.externalIp}`);
  if (turn.tls !== undefined) {
    lines.push(
      `tls-listening-port=${turn.tlsPort}`,
      `cert=${turn.tls.certFile}`,
      `pkey=${turn.tls.keyFile}`,
      'no-tlsv1',
      'no-tlsv1_1',
    );
  } else {
    lines.push('no-tls', 'no-dtls');
  }
  for (const range of turn.deniedPeerIps) lines.push(`denied-peer-ip=${range}`);
  for (const range of turn.allowedPeerIps) lines.push(`allowed-peer-ip=${range}`);
  // Only when configured: with it a TURN allocation reaches the server's own loopback services.
  if (turn.allowLoopbackPeers) lines.push('allow-loopback-peers');
  return `${lines.join('\n')}\n`;
}

export interface CoturnProcess {
  readonly pid: number;
  /** The TURN port it listens on (UDP and TCP). */
  readonly port: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it wrote (for errors). */
  output(): string;
  /** SIGTERM, SIGKILL after 5 s; waits for the exit. Idempotent. */
  stop(): Promise<void>;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface StartCoturnOptions {
  readonly turn: TurnConfig;
  readonly secret: string;
  /** Where the configuration, pid file and (unused) user database go; created when absent. */
  readonly runDir: string;
  readonly bin: string;
  /** Each line coturn writes (it logs every allocation); default: kept only for errors. */
  readonly onLine?: (line: string) => void;
  readonly readyTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Starts turnserver and resolves once its listener accepts; rejects (with its last output) when it exits first or takes too long. */
export async function startCoturn(options: StartCoturnOptions): Promise<CoturnProcess> {
  fs.mkdirSync(options.runDir, { recursive: true, mode: 0o700 });
  const configFile = path.join(options.runDir, 'turnserver.conf');
  fs.rmSync(configFile, { force: true });
  fs.writeFileSync(configFile, coturnConfig(options.turn, options.secret, options.runDir), { mode: 0o600 });
  const child = spawn(options.bin, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let partial = '';
  const take = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-OUTPUT_TAIL_BYTES);
    if (options.onLine === undefined) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') options.onLine(line.trimEnd());
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: child.exitCode, signal: child.signalCode }));
  });
  let gone = false;
  void exited.then(() => (gone = true));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (!gone) {
        child.kill('SIGTERM');
        const hard = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(hard);
      }
    })());
  const onExitOfParent = () => {
    if (!gone) child.kill('SIGTERM');
  };
  process.once('exit', onExitOfParent);
  void exited.then(() => process.removeListener('exit', onExitOfParent));
  options.signal?.addEventListener('abort', () => void stop(), { once: true });

  const deadline = Date.now() + (options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  const host = localAddress(options.turn.listenIp);
  for (;;) {
    if (gone) {
      const reason = await exited;
      throw new Error(
        `turnserver exited before it was ready (exit code ${String(reason.code)}${reason.signal === null ? '' : `, ${reason.signal}`}): ${tail.trim().split('\n').slice(-5).join(' | ')}`,
      );
    }
    if (options.signal?.aborted === true) {
      await stop();
      throw new Error('turnserver start aborted');
    }
    if (await canConnect(host, options.turn.port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `turnserver did not listen on ${host}:${options.turn.port} within ${(options.readyTimeoutMs ?? READY_TIMEOUT_MS) / 1000} s: ${tail.trim().split('\n').slice(-5).join(' | ')}`,
      );
    }
    await sleep(100);
  }
  return { pid: child.pid!, port: options.turn.port, exited, output: () => tail, stop };
}
