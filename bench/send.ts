/**
 * `npm run bench -- send`: the send path beside its baselines, in one run:
 *
 *   echo            an empty grpc-js unary call (the transport's ceiling here)
 *   raw publish     JetStream async publish from one Node process (the log's ceiling)
 *   SendMessage     through the messaging gateway (its own process, projections stopped):
 *                   authenticated, validated, decided, appended; accepted means persisted
 *   SendMessage+views  the same with the projection worker running beside it
 *   views apply     timeline and conversations projections catching up on the stream,
 *                   beside a raw ordered consume of the same stream
 *
 * The load generator, concurrency and payload are the same for echo and SendMessage.
 * Ends with `send/echo ratio: R` (SendMessage rate / echo rate).
 * `--profile` writes a CPU profile of the gateway and prints where its time goes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { STREAMS } from '../streams/subjects.ts';
import { silentLogger } from '../runtime/logger.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import { timelineProjection } from '../projections/timeline/projector.ts';
import { conversationsProjection } from '../projections/conversations/projector.ts';
import { catchUpView, resetView } from '../projections/rebuild.ts';
import { serviceClient } from '../gateways/grpc/client.ts';
import { PROTO_FILES, PROTO_ROOT } from '../gateways/grpc/proto.ts';
import { measureEcho } from './echo.ts';
import { describeLoad, runUnaryLoad, type UnaryLoadResult } from './load.ts';
import { describeMachine } from './machine.ts';
import { measureRawConsume } from './raw-consume.ts';
import { measureRawPublish } from './raw-publish.ts';
import { summarizeProfile } from './profile.ts';
import { describeRun, interleavedRounds, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { medianPairedRatio, medianRun, rateOnly, type Stats } from './stats.ts';
import { benchEnv, startRole } from './guardyn-process.ts';
import type { BenchUser } from './send-requests.ts';

const SEND_REQUESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'send-requests.ts');
const BENCH_USERS = 500;

async function ackedUpTo(natsUrl: string, stream: string, consumer: string): Promise<{ acked: number; last: number }> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const last = (await jsm.streams.info(stream)).state.last_seq;
    const acked = await jsm.consumers.info(stream, consumer).then((i) => i.ack_floor.stream_seq, () => 0);
    return { acked, last };
  } finally {
    await nc.close();
  }
}

async function waitCaughtUp(natsUrl: string, stream: string, consumers: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(consumers.map((c) => ackedUpTo(natsUrl, stream, c)));
    if (states.every((s) => s.acked >= s.last)) return;
    if (Date.now() > deadline) throw new Error(`views did not catch up on ${stream}: ${JSON.stringify(states)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Registers `count` bench users in batches of 25 (names `<prefix>_<pid>_<i>`). */
export async function registerUsers(port: number, count: number, prefix = 'bench'): Promise<BenchUser[]> {
  const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${port}`);
  try {
    const users: BenchUser[] = [];
    for (let i = 0; i < count; i += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, j) =>
        auth.Register!({ username: `${prefix}_${process.pid}_${i + j}`, password: 'bench password 12345' })));
      for (const r of batch) {
        if (r['result'] !== 'success') throw new Error(`registering a bench user failed: ${JSON.stringify(r['error'])}`);
        users.push({ id: r['success'].user_id, token: r['success'].access_token });
      }
    }
    return users;
  } finally {
    auth.close();
  }
}

async function measureViewsApply(natsUrl: string): Promise<Stats[]> {
  const log = await EventLog.connect(natsUrl, eventRegistry, silentLogger, 'guardyn-bench-views');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-views-'));
  const stores = await openEmbeddedStores(dir);
  try {
    const total = await log.lastSeq(STREAMS.messages);
    const rows: Stats[] = [];
    for (const projection of [timelineProjection(stores.timeline, log), conversationsProjection(stores.kv)]) {
      const view = projection as Parameters<typeof catchUpView>[1];
      await resetView(log, view);
      const r = await catchUpView(log, view, silentLogger);
      rows.push(rateOnly(`views apply: ${projection.name}`, total, r.ms / 1000, 'the whole stream applied into fresh LMDB views by a durable consumer, in the bench process'));
    }
    return rows;
  } finally {
    await stores.close();
    await log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU of the labelled process per completed call in a round, µs (its cpu% is of one core over the window). */
function cpuMicrosPerCall(r: UnaryLoadResult, label: string): number {
  const pct = r.cpu[label];
  return pct === undefined || r.rate === 0 ? Number.NaN : (pct * 1e4) / r.rate;
}

const perCall = (r: UnaryLoadResult, label: string): string => `, ${cpuMicrosPerCall(r, label).toFixed(0)} µs ${label} CPU/call`;

function median(xs: readonly number[]): number {
  const sorted = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export async function benchSend(a: BenchArgs): Promise<void> {
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-data-'));
  const profileDir = a.raw['profile'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-prof-')) : undefined;
  // The send path is measured; cheap password hashing keeps the setup short.
  const env = {
    ...benchEnv(nats.server.url, dataDir, { cheapPasswords: true }),
    GUARDYN_MESSAGING__MAX_CONTENT_BYTES: String(Math.max(256 * 1024, a.payloadBytes)),
  };
  const started: { stop(): Promise<void> }[] = [];
  try {
    const load = { concurrency: a.concurrency, processes: a.processes, durationMs: a.durationMs, warmupMs: a.warmupMs, payloadBytes: a.payloadBytes, streamsPerChannel: a.streamsPerChannel };
    const rounds = Number(a.raw['rounds'] ?? '3');

    // Setup: users registered and the users view caught up, then the projection worker stops.
    const auth = await startRole('auth', env);
    started.push(auth);
    let projections = await startRole('projections', env);
    const users = await registerUsers(auth.port!, BENCH_USERS);
    await waitCaughtUp(nats.server.url, STREAMS.accounts, ['view_users', 'view_sessions']);
    await projections.stop();
    await auth.stop();

    const gateway = await startRole('messaging', env, profileDir ? { cpuProfileDir: profileDir } : {});
    started.push(gateway);
    const sendLoad = (name: string, observe: Record<string, number>): Promise<UnaryLoadResult> => runUnaryLoad({
      name,
      target: `127.0.0.1:${gateway.port}`,
      proto: { files: [...PROTO_FILES], includeDirs: [PROTO_ROOT] },
      service: 'guardyn.messaging.MessagingService',
      method: 'SendMessage',
      makeRequest: { module: SEND_REQUESTS, exportName: 'makeSendRequest', arg: users },
      ...load,
      observePids: observe,
    });

    // Echo and SendMessage alternate, round after round; the ratio is the median of the rounds' ratios.
    const paired = await interleavedRounds(rounds, {
      echo: () => measureEcho(load),
      send: () => sendLoad('SendMessage (gateway alone)', { gateway: gateway.pid, 'nats-server': nats.server.pid }),
    }, (round, name, r) => console.log(`${describeRun(round, name, r)}${perCall(r as UnaryLoadResult, name === 'echo' ? 'server' : 'gateway')}`));
    const echo = medianRun(paired.echo);
    const send = medianRun(paired.send);
    const ratio = medianPairedRatio(paired.send, paired.echo);
    const gatewayMicros = median(paired.send.map((r) => cpuMicrosPerCall(r, 'gateway')));
    const echoMicros = median(paired.echo.map((r) => cpuMicrosPerCall(r, 'server')));
    const rows: Stats[] = [echo, send];
    rows.push(await measureRawPublish(nats.server.url, { durationMs: a.durationMs, warmupMs: a.warmupMs, payloadBytes: a.payloadBytes, window: a.window, subjects: a.subjects, noAsyncTraces: true, observePids: { 'nats-server': nats.server.pid } }));

    // Projection apply rate beside raw ordered consume of the same stream.
    const messages = (await ackedUpTo(nats.server.url, STREAMS.messages, 'none')).last;
    rows.push(await measureRawConsume(nats.server.url, { stream: STREAMS.messages, messages, name: `raw ordered consume (${STREAMS.messages})`, observePids: { 'nats-server': nats.server.pid } }));
    rows.push(...(await measureViewsApply(nats.server.url)));

    // The whole system: the projection worker running beside the gateway.
    projections = await startRole('projections', env);
    started.push(projections);
    await waitCaughtUp(nats.server.url, STREAMS.messages, ['view_timeline', 'view_conversations']);
    rows.push(await sendLoad('SendMessage + views running', { gateway: gateway.pid, projections: projections.pid, 'nats-server': nats.server.pid }));
    await gateway.stop();

    const raw = rows.find((r) => r.name.startsWith('raw ordered consume'))!;
    const after = [
      ...rows.filter((r) => r.name.startsWith('views apply')).map((r) => `${r.name.slice('views apply: '.length)}/raw consume ratio: ${(r.rate / raw.rate).toFixed(2)}`),
      `CPU per call (median of rounds): SendMessage gateway ${gatewayMicros.toFixed(0)} µs, echo server ${echoMicros.toFixed(0)} µs`,
      `send/echo ratio: ${ratio.toFixed(2)}`,
    ];
    if (profileDir) {
      const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) after.unshift(...summarizeProfile(path.join(profileDir, file)), '');
    }
    printReport({
      title: 'send',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `run: ${a.durationMs / 1000} s after ${a.warmupMs / 1000} s warmup per figure, payload ${a.payloadBytes} B; echo and SendMessage interleaved over ${rounds} rounds (medians; the ratio is the median of the per-round ratios)`,
        `load generator: ${describeLoad(echo.settings)}, ${a.streamsPerChannel} streams/channel; same generator, concurrency and payload for echo and SendMessage`,
        `SendMessage: ${BENCH_USERS} users x 10 peers each (up to ${BENCH_USERS * 10} conversations), access token in the request, client_message_id on every call`,
      ],
      rows,
      after,
    });
  } finally {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (profileDir) console.log(`cpu profile kept in ${profileDir}`);
  }
}
