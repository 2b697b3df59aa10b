/**
 * `npm run bench -- send`: the send path beside its baselines, in one run:
 *
 *   echo            an empty grpc-js unary call (the transport's ceiling here)
 *   raw publish     JetStream async publish from one Node process (the log's ceiling)
 *   SendMessage     through the messaging gateway (its own process, projections stopped):
 *                   authenticated, validated, decided, appended; accepted means persisted
 *   SendMessage+views  the same with the projection worker running beside it
 *   sync always     SendMessage and raw publish again against a second nats-server whose file
 *                   store syncs every write before acknowledging it (`sync_interval: always`,
 *                   the single-node default of `guardyn up`), interleaved with the rounds above;
 *                   the other figures use nats-server's default (a sync every 2 minutes).
 *                   `--sync-always=0` leaves it out.
 *   views apply     timeline and conversations projections catching up on the stream,
 *                   beside a raw ordered consume of the same stream
 *   compare         with `--compare-root=DIR` (another checkout of Guardyn, e.g. the commit
 *                   before a change): SendMessage through that checkout's gateway on a third
 *                   nats-server, interleaved with the rounds above, so a before/after pair is
 *                   measured under the same load. `--gateway-node-options=...` and
 *                   `--compare-node-options=...` set NODE_OPTIONS of either gateway (e.g. GC
 *                   settings), so one checkout can also be compared with itself.
 *
 * The load generator, concurrency and payload are the same for echo and SendMessage.
 * Ends with `send/echo ratio: R` (SendMessage rate / echo rate).
 * `--profile` writes a CPU profile of the gateway and prints where its time goes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { STREAMS } from '../streams/subjects.ts';
import { sharedDurableName } from '../projections/runtime/runner.ts';
import { silentLogger } from '../runtime/logger.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import { timelineProjection } from '../projections/timeline/projector.ts';
import { conversationsProjection } from '../projections/conversations/projector.ts';
import { catchUpView, resetView } from '../projections/runtime/rebuild.ts';
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
    const acked = await jsm.consumers.info(stream, consumer).then(
      (i) => i.ack_floor.stream_seq,
      () => 0,
    );
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
    await sleep(100);
  }
}

/** Registers `count` bench users in batches of 25 (names `<prefix>_<pid>_<i>`). */
export async function registerUsers(port: number, count: number, prefix = 'bench'): Promise<BenchUser[]> {
  const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${port}`);
  try {
    const users: BenchUser[] = [];
    for (let i = 0; i < count; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, (_, j) =>
          auth.Register!({ username: `${prefix}_${process.pid}_${i + j}`, password: 'bench password 12345' }),
        ),
      );
      for (const r of batch) {
        if (r['result'] !== 'success')
          throw new Error(`registering a bench user failed: ${JSON.stringify(r['error'])}`);
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
      rows.push(
        rateOnly(
          `views apply: ${projection.name}`,
          total,
          r.ms / 1000,
          'the whole stream applied into fresh LMDB views by a durable consumer, in the bench process',
        ),
      );
    }
    return rows;
  } finally {
    await stores.close();
    await log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Users registered through an auth role and the users view caught up (the projection worker
 * then stops), then a messaging gateway started: the send path of one nats-server.
 */
async function sendSetup(
  natsUrl: string,
  env: Record<string, string>,
  started: { stop(): Promise<void> }[],
  gatewayOptions: Parameters<typeof startRole>[2] = {},
  gatewayEnv: Record<string, string> = {},
): Promise<{ users: BenchUser[]; gateway: Awaited<ReturnType<typeof startRole>> }> {
  const root = gatewayOptions.root === undefined ? {} : { root: gatewayOptions.root };
  const auth = await startRole('auth', env, root);
  started.push(auth);
  const projections = await startRole('projections', env, root);
  const users = await registerUsers(auth.port!, BENCH_USERS);
  await waitCaughtUp(natsUrl, STREAMS.accounts, [sharedDurableName(STREAMS.accounts)]);
  await projections.stop();
  await auth.stop();
  const gateway = await startRole('messaging', { ...env, ...gatewayEnv }, gatewayOptions);
  started.push(gateway);
  return { users, gateway };
}

/** CPU of the labelled process per completed call in a round, µs (its cpu% is of one core over the window). */
function cpuMicrosPerCall(r: UnaryLoadResult, label: string): number {
  const pct = r.cpu[label];
  return pct === undefined || r.rate === 0 ? Number.NaN : (pct * 1e4) / r.rate;
}

const perCall = (r: UnaryLoadResult, label: string): string =>
  `, ${cpuMicrosPerCall(r, label).toFixed(0)} µs ${label} CPU/call`;

function median(xs: readonly number[]): number {
  const sorted = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export async function benchSend(a: BenchArgs): Promise<void> {
  const withSyncAlways = a.raw['sync-always'] !== '0';
  const compareRoot = a.raw['compare-root'] === undefined ? undefined : path.resolve(a.raw['compare-root']);
  const nodeOptions = (value: string | undefined): Record<string, string> =>
    value === undefined ? {} : { NODE_OPTIONS: value };
  const nats = await startBenchNats();
  const compareNats = compareRoot === undefined ? undefined : await startBenchNats();
  const syncedNats = withSyncAlways
    ? await startBenchNats({ syncInterval: 'always' }).catch(async (err: unknown) => {
        await nats.stop();
        throw err;
      })
    : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-data-'));
  const syncedDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-data-'));
  const compareDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-data-'));
  const compareProfileDir =
    a.raw['profile'] && compareRoot !== undefined
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-prof-'))
      : undefined;
  const profileDir = a.raw['profile'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-prof-')) : undefined;
  // The send path is measured; cheap password hashing keeps the setup short.
  const envFor = (url: string, dir: string) => ({
    ...benchEnv(url, dir, { cheapPasswords: true }),
    GUARDYN_MESSAGING__MAX_CONTENT_BYTES: String(Math.max(256 * 1024, a.payloadBytes)),
  });
  const env = envFor(nats.server.url, dataDir);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const load = {
      concurrency: a.concurrency,
      processes: a.processes,
      durationMs: a.durationMs,
      warmupMs: a.warmupMs,
      payloadBytes: a.payloadBytes,
      streamsPerChannel: a.streamsPerChannel,
    };
    const rounds = Number(a.raw['rounds'] ?? '3');

    const { users, gateway } = await sendSetup(
      nats.server.url,
      env,
      started,
      profileDir ? { cpuProfileDir: profileDir } : {},
      nodeOptions(a.raw['gateway-node-options']),
    );
    const synced =
      syncedNats === undefined
        ? undefined
        : await sendSetup(syncedNats.server.url, envFor(syncedNats.server.url, syncedDataDir), started);
    const compared =
      compareNats === undefined
        ? undefined
        : await sendSetup(
            compareNats.server.url,
            envFor(compareNats.server.url, compareDataDir),
            started,
            { root: compareRoot!, ...(compareProfileDir ? { cpuProfileDir: compareProfileDir } : {}) },
            nodeOptions(a.raw['compare-node-options']),
          );
    const sendLoad = (
      name: string,
      observe: Record<string, number>,
      target = gateway,
      targetUsers = users,
    ): Promise<UnaryLoadResult> =>
      runUnaryLoad({
        name,
        target: `127.0.0.1:${target.port}`,
        proto: { files: [...PROTO_FILES], includeDirs: [PROTO_ROOT] },
        service: 'guardyn.messaging.MessagingService',
        method: 'SendMessage',
        makeRequest: { module: SEND_REQUESTS, exportName: 'makeSendRequest', arg: targetUsers },
        ...load,
        observePids: observe,
      });

    // Echo and SendMessage alternate, round after round; the ratio is the median of the rounds' ratios.
    // With a second server: SendMessage on the store that syncs every write, in the same rounds.
    const paired = await interleavedRounds(
      rounds,
      {
        echo: () => measureEcho(load),
        send: () => sendLoad('SendMessage (gateway alone)', { gateway: gateway.pid, 'nats-server': nats.server.pid }),
        ...(synced === undefined
          ? {}
          : {
              sendSynced: () =>
                sendLoad(
                  'SendMessage (gateway alone), sync always',
                  { gateway: synced.gateway.pid, 'nats-server': syncedNats!.server.pid },
                  synced.gateway,
                  synced.users,
                ),
            }),
        ...(compared === undefined
          ? {}
          : {
              sendCompared: () =>
                sendLoad(
                  `SendMessage (gateway alone), compare ${compareRoot}`,
                  { gateway: compared.gateway.pid, 'nats-server': compareNats!.server.pid },
                  compared.gateway,
                  compared.users,
                ),
            }),
      },
      (round, name, r) =>
        console.log(
          `${describeRun(round, name, r)}${perCall(r as UnaryLoadResult, name === 'echo' ? 'server' : 'gateway')}`,
        ),
    );
    const echo = medianRun(paired.echo);
    const send = medianRun(paired.send);
    const ratio = medianPairedRatio(paired.send, paired.echo);
    const gatewayMicros = median(paired.send.map((r) => cpuMicrosPerCall(r, 'gateway')));
    const echoMicros = median(paired.echo.map((r) => cpuMicrosPerCall(r, 'server')));
    const rows: Stats[] = [echo, send];
    const compareLines: string[] = [];
    if (compared !== undefined && paired.sendCompared !== undefined) {
      rows.push(medianRun(paired.sendCompared));
      const comparedMicros = median(paired.sendCompared.map((r) => cpuMicrosPerCall(r, 'gateway')));
      compareLines.push(
        `compare: this/compared SendMessage ratio ${medianPairedRatio(paired.send, paired.sendCompared).toFixed(2)} (median of the per-round ratios); compared send/echo ratio ${medianPairedRatio(paired.sendCompared, paired.echo).toFixed(2)}; compared gateway ${comparedMicros.toFixed(0)} µs CPU/call`,
      );
      await compared.gateway.stop();
    }
    const rawPublish = (server: typeof nats.server, name?: string) =>
      measureRawPublish(server.url, {
        ...(name === undefined ? {} : { name }),
        durationMs: a.durationMs,
        warmupMs: a.warmupMs,
        payloadBytes: a.payloadBytes,
        window: a.window,
        subjects: a.subjects,
        noAsyncTraces: true,
        observePids: { 'nats-server': server.pid },
      });
    rows.push(await rawPublish(nats.server));
    const syncRatios: string[] = [];
    if (synced !== undefined && paired.sendSynced !== undefined) {
      rows.push(medianRun(paired.sendSynced));
      const rawSynced = await rawPublish(syncedNats!.server, 'raw js publish, sync always');
      rows.push(rawSynced);
      const raw = rows.find((r) => r.name !== rawSynced.name && r.name.startsWith('raw js publish'));
      syncRatios.push(
        `sync always/default SendMessage ratio: ${medianPairedRatio(paired.sendSynced, paired.send).toFixed(2)} (median of the per-round ratios)`,
        ...(raw === undefined
          ? []
          : [`sync always/default raw publish ratio: ${(rawSynced.rate / raw.rate).toFixed(2)}`]),
      );
    }

    // Projection apply rate beside raw ordered consume of the same stream.
    const messages = (await ackedUpTo(nats.server.url, STREAMS.messages, 'none')).last;
    rows.push(
      await measureRawConsume(nats.server.url, {
        stream: STREAMS.messages,
        messages,
        name: `raw ordered consume (${STREAMS.messages})`,
        observePids: { 'nats-server': nats.server.pid },
      }),
    );
    rows.push(...(await measureViewsApply(nats.server.url)));

    await synced?.gateway.stop();
    // The whole system: the projection worker running beside the gateway.
    const projections = await startRole('projections', env);
    started.push(projections);
    await waitCaughtUp(nats.server.url, STREAMS.messages, [sharedDurableName(STREAMS.messages)]);
    rows.push(
      await sendLoad('SendMessage + views running', {
        gateway: gateway.pid,
        projections: projections.pid,
        'nats-server': nats.server.pid,
      }),
    );
    await gateway.stop();

    const raw = rows.find((r) => r.name.startsWith('raw ordered consume'))!;
    const after = [
      ...rows
        .filter((r) => r.name.startsWith('views apply'))
        .map((r) => `${r.name.slice('views apply: '.length)}/raw consume ratio: ${(r.rate / raw.rate).toFixed(2)}`),
      ...syncRatios,
      ...compareLines,
      `CPU per call (median of rounds): SendMessage gateway ${gatewayMicros.toFixed(0)} µs, echo server ${echoMicros.toFixed(0)} µs`,
      `send/echo ratio: ${ratio.toFixed(2)}`,
    ];
    if (profileDir) {
      const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) after.unshift(...summarizeProfile(path.join(profileDir, file)), '');
    }
    if (compareProfileDir) {
      const file = fs.readdirSync(compareProfileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file)
        after.unshift(
          ...summarizeProfile(path.join(compareProfileDir, file)).map((l, i) => (i === 0 ? `compared ${l}` : l)),
          '',
        );
    }
    printReport({
      title: 'send',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `run: ${a.durationMs / 1000} s after ${a.warmupMs / 1000} s warmup per figure, payload ${a.payloadBytes} B; echo and SendMessage interleaved over ${rounds} rounds (medians; the ratio is the median of the per-round ratios)`,
        `load generator: ${describeLoad(echo.settings)}, ${a.streamsPerChannel} streams/channel; same generator, concurrency and payload for echo and SendMessage`,
        `nats-server file store: the server's default sync (every 2 min)${synced === undefined ? '' : '; rows named "sync always": a second server with sync_interval: always (every write synced before its ack), in the same rounds'}`,
        `SendMessage: ${BENCH_USERS} users x 10 peers each (up to ${BENCH_USERS * 10} conversations), access token in the request, client_message_id on every call`,
        ...(a.raw['gateway-node-options'] === undefined
          ? []
          : [`gateway NODE_OPTIONS: ${a.raw['gateway-node-options']}`]),
        ...(compareRoot === undefined
          ? []
          : [
              `compared: the gateway of ${compareRoot}${a.raw['compare-node-options'] === undefined ? '' : ` with NODE_OPTIONS ${a.raw['compare-node-options']}`}, on its own nats-server, in the same rounds`,
            ]),
      ],
      rows,
      after,
    });
  } finally {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await nats.stop();
    await syncedNats?.stop();
    await compareNats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(syncedDataDir, { recursive: true, force: true });
    fs.rmSync(compareDataDir, { recursive: true, force: true });
    if (profileDir) console.log(`cpu profile kept in ${profileDir}`);
    if (compareProfileDir) console.log(`compared gateway's cpu profile kept in ${compareProfileDir}`);
  }
}
