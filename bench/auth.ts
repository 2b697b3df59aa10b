/**
 * `npm run bench -- auth`: what authentication costs, beside its baselines, in one run:
 *
 *   argon2id hash / verify   one at a time, in this process, with the production settings
 *                            (runtime/config.ts defaults: 19456 KiB, 2 passes, parallelism 1)
 *   argon2id verify x N      N = min(cores, libuv threads) verifications in flight: the CPU's ceiling
 *   Login                    through the auth gateway (its own process, production Argon2id),
 *                            each user on its enrolled device: verify + StartSession commit + token
 *   echo                     the empty gRPC unary call with a ValidateToken-sized payload
 *   ValidateToken            through the gateway: JWT verify (cached) + session check
 *   verify in-process        TokenService.verifyAccessToken with and without its cache, and signing
 *
 * Ends with the implied login ceiling (threads / verify time) beside the measured login rate, and
 * the ValidateToken/echo ratio. Options: `--login-concurrency=8`, `--users=32`, plus the usual
 * `--duration --warmup --concurrency --processes`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { loadConfig } from '../runtime/config.ts';
import { silentLogger } from '../runtime/logger.ts';
import { STREAMS } from '../streams/subjects.ts';
import { sharedDurableName } from '../projections/runtime/runner.ts';
import { PasswordHasher } from '../gateways/auth/passwords.ts';
import { TokenService } from '../gateways/auth/tokens.ts';
import { serviceClient } from '../gateways/grpc/client.ts';
import { PROTO_FILES, PROTO_ROOT } from '../gateways/grpc/proto.ts';
import type { AuthBenchUser } from './auth-requests.ts';
import { measureEcho } from './echo.ts';
import { benchEnv, startRole } from './guardyn-process.ts';
import { describeLoad, runUnaryLoad, type UnaryLoadResult } from './load.ts';
import { describeMachine } from './machine.ts';
import { parsePositiveInt, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { rateOnly, summarize, type Stats } from './stats.ts';

const AUTH_REQUESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'auth-requests.ts');
const PASSWORD = 'bench password 12345';
const ARGON2_SAMPLES = 15;

/** One operation at a time for `samples` runs: latency samples (ns) and their Stats row. */
async function timeSequential(name: string, samples: number, op: () => Promise<unknown>, note: string): Promise<Stats> {
  await op(); // warm
  const ns = new Float64Array(samples);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < samples; i++) {
    const s = process.hrtime.bigint();
    await op();
    ns[i] = Number(process.hrtime.bigint() - s);
  }
  return summarize(ns, { name, wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9, note });
}

/** `inFlight` operations kept running for `durationMs` (after `warmupMs`): completed per second. */
async function timeClosedLoop(
  name: string,
  inFlight: number,
  warmupMs: number,
  durationMs: number,
  op: (i: number) => Promise<unknown>,
  note: string,
): Promise<Stats> {
  let i = 0;
  let counted = 0;
  const start = performance.now();
  const from = start + warmupMs;
  const until = from + durationMs;
  const worker = async () => {
    for (;;) {
      const now = performance.now();
      if (now >= until) return;
      await op(i++);
      const done = performance.now();
      if (done >= from && done < until) counted++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return rateOnly(name, counted, durationMs / 1000, note);
}

async function waitViewsCaughtUp(natsUrl: string, consumers: readonly string[], timeoutMs = 120_000): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = (await jsm.streams.info(STREAMS.accounts)).state.last_seq;
      const acked = await Promise.all(
        consumers.map((c) =>
          jsm.consumers.info(STREAMS.accounts, c).then(
            (i) => i.ack_floor.stream_seq,
            () => 0,
          ),
        ),
      );
      if (acked.every((a) => a >= last)) return;
      if (Date.now() > deadline)
        throw new Error(`views did not catch up on ${STREAMS.accounts}: ${JSON.stringify({ last, acked })}`);
      await sleep(100);
    }
  } finally {
    await nc.close();
  }
}

async function registerUsers(port: number, count: number): Promise<AuthBenchUser[]> {
  const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${port}`);
  try {
    const users: AuthBenchUser[] = [];
    for (let i = 0; i < count; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(8, count - i) }, (_, j) => {
          const username = `authbench_${process.pid}_${i + j}`;
          return auth.Register!({ username, password: PASSWORD }).then((r) => ({ r, username }));
        }),
      );
      for (const { r, username } of batch) {
        if (r['result'] !== 'success')
          throw new Error(`registering a bench user failed: ${JSON.stringify(r['error'])}`);
        users.push({
          username,
          password: PASSWORD,
          deviceId: r['success'].device_id,
          token: r['success'].access_token,
        });
      }
    }
    return users;
  } finally {
    auth.close();
  }
}

/** In-process token figures: verify with the cache, without it, and signing. */
async function measureTokens(a: BenchArgs): Promise<Stats[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-tokens-'));
  try {
    const config = {
      dataDir: dir,
      auth: { jwtPrivateKeyPem: undefined, issuer: 'guardyn', accessTokenTtlSeconds: 900 },
    };
    const cached = await TokenService.create(config, silentLogger);
    const uncached = await TokenService.create(config, silentLogger, { cacheSize: 0 });
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        cached.issueAccessToken({ userId: `u${i}`, deviceId: 'd', sessionId: `s${i}` }),
      ),
    );
    const verify = (service: TokenService) => async (i: number) => {
      const r = await service.verifyAccessToken(tokens[i % tokens.length]!.token);
      if (r._tag !== 'Right') throw new Error(`a bench token did not verify: ${r.left.message}`);
    };
    const single = 'one at a time, in this process (one core)';
    return [
      await timeClosedLoop(
        'verify in-process, cached',
        1,
        a.warmupMs,
        a.durationMs,
        verify(cached),
        `${single}, 1000 distinct tokens`,
      ),
      await timeClosedLoop(
        'verify in-process, no cache (EdDSA)',
        1,
        a.warmupMs,
        a.durationMs,
        verify(uncached),
        single,
      ),
      await timeClosedLoop(
        'sign in-process (EdDSA)',
        1,
        a.warmupMs,
        a.durationMs,
        (i) => cached.issueAccessToken({ userId: `u${i}`, deviceId: 'd', sessionId: 's' }),
        single,
      ),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchAuth(a: BenchArgs): Promise<void> {
  const loginConcurrency = a.raw['login-concurrency']
    ? parsePositiveInt(a.raw['login-concurrency'], 'login-concurrency')
    : 8;
  const userCount = a.raw['users'] ? parsePositiveInt(a.raw['users'], 'users') : 32;
  const production = loadConfig({}).auth.argon2; // the defaults, which config refuses to weaken without ALLOW_WEAK
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const threads = Number(process.env['UV_THREADPOOL_SIZE'] ?? 4);
  const parallel = Math.min(cores, threads);
  const rows: Stats[] = [];

  // 1. Argon2id alone, before anything else runs.
  const hasher = new PasswordHasher(production);
  const hash = await hasher.hash(PASSWORD);
  const argonNote = `${production.memoryKiB} KiB, ${production.passes} passes, parallelism ${production.parallelism}, one at a time`;
  const hashRow = await timeSequential('argon2id hash', ARGON2_SAMPLES, () => hasher.hash(PASSWORD), argonNote);
  const verifyRow = await timeSequential(
    'argon2id verify',
    ARGON2_SAMPLES,
    () => hasher.verify(hash, PASSWORD),
    argonNote,
  );
  const parallelRow = await timeClosedLoop(
    `argon2id verify x${parallel} in flight`,
    parallel,
    Math.min(a.warmupMs, 1000),
    a.durationMs,
    () => hasher.verify(hash, PASSWORD),
    `min(${cores} cores, ${threads} libuv threads), in this process`,
  );
  rows.push(hashRow, verifyRow, parallelRow);

  // 2. In-process token figures.
  rows.push(...(await measureTokens(a)));

  // 3. The gateway.
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-data-'));
  // Production Argon2id (the defaults).
  const env = benchEnv(nats.server.url, dataDir, { cheapPasswords: false });
  const started: { stop(): Promise<void> }[] = [];
  try {
    const auth = await startRole('auth', env);
    started.push(auth);
    const projections = await startRole('projections', env);
    started.push(projections);
    const users = await registerUsers(auth.port!, userCount);
    await waitViewsCaughtUp(nats.server.url, [sharedDurableName(STREAMS.accounts)]);
    await projections.stop(); // the gateway is measured alone

    const tokenBytes = users[0]!.token.length;
    const echo = await measureEcho({
      concurrency: a.concurrency,
      processes: a.processes,
      durationMs: a.durationMs,
      warmupMs: a.warmupMs,
      payloadBytes: tokenBytes,
      streamsPerChannel: a.streamsPerChannel,
      name: `grpc empty unary (echo), ${tokenBytes} B`,
    });
    const load = (
      name: string,
      method: string,
      exportName: string,
      concurrency: number,
      processes: number,
      requestBytes: number,
    ): Promise<UnaryLoadResult> =>
      runUnaryLoad({
        name,
        target: `127.0.0.1:${auth.port}`,
        proto: { files: [...PROTO_FILES], includeDirs: [PROTO_ROOT] },
        service: 'guardyn.auth.AuthService',
        method,
        makeRequest: { module: AUTH_REQUESTS, exportName, arg: users },
        concurrency,
        processes,
        durationMs: a.durationMs,
        warmupMs: a.warmupMs,
        streamsPerChannel: a.streamsPerChannel,
        payloadBytes: requestBytes, // what the settings line reports: the requests are built from the users, not padded
        observePids: { gateway: auth.pid, 'nats-server': nats.server.pid },
      });
    const validate = await load(
      'ValidateToken (gateway)',
      'ValidateToken',
      'makeValidateRequest',
      a.concurrency,
      a.processes,
      tokenBytes,
    );
    const loginBytes = Buffer.byteLength(
      JSON.stringify({ username: users[0]!.username, password: PASSWORD, device_id: users[0]!.deviceId }),
    );
    const logins = await load(
      'Login (gateway, production argon2id)',
      'Login',
      'makeLoginRequest',
      loginConcurrency,
      1,
      loginBytes,
    );
    rows.push(logins, echo, validate);

    const verifyMs = verifyRow.p50Ms ?? Number.NaN;
    const ceiling = (parallel * 1000) / verifyMs;
    const byName = (prefix: string) => rows.find((r) => r.name.startsWith(prefix))!;
    printReport({
      title: 'auth',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `run: ${a.durationMs / 1000} s after ${a.warmupMs / 1000} s warmup per figure; argon2id figures: median of ${ARGON2_SAMPLES} (p50 column)`,
        `echo and ValidateToken: ${describeLoad(validate.settings)}, ${a.streamsPerChannel} streams/channel`,
        `Login: ${describeLoad(logins.settings)}; ${userCount} users, each on its enrolled device; projections stopped`,
      ],
      rows,
      after: [
        `argon2id (${production.memoryKiB} KiB, ${production.passes} passes, p=${production.parallelism}): hash ${hashRow.p50Ms?.toFixed(1)} ms, verify ${verifyMs.toFixed(1)} ms`,
        `login ceiling implied by argon2id: ${parallel} threads (min of ${cores} cores, ${threads} libuv threads) / ${verifyMs.toFixed(1)} ms = ${ceiling.toFixed(1)} logins/s; ` +
          `measured ${logins.rate.toFixed(1)} logins/s (${((logins.rate / ceiling) * 100).toFixed(0)}% of the ceiling); argon2id x${parallel} in flight: ${parallelRow.rate.toFixed(1)}/s`,
        `ValidateToken/echo ratio: ${(validate.rate / echo.rate).toFixed(2)}`,
        `verify in-process cached/uncached ratio: ${(byName('verify in-process, cached').rate / byName('verify in-process, no cache').rate).toFixed(1)}`,
      ],
    });
  } finally {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
