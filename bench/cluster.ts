/**
 * `npm run bench -- cluster`: the send path on a 3-node NATS JetStream cluster (streams with three
 * replicas) beside a single nats-server (one replica), in one run:
 *
 *   SendMessage throughput   closed loop through the messaging gateway (its own process), the
 *                            projection worker running beside it: accepted means stored on a
 *                            quorum (R3) or on the one server (R1)
 *   SendMessage → ws frame   open loop at --rate (100/s: below saturation on 2 cores, so p99 is latency, not queue): the call to the recipient's `message`
 *                            frame on its WebSocket (commit, inbox and timeline projections, wake-up)
 *
 * Both topologies are up for the whole run (each: its nats-server(s), an auth, a messaging and a
 * projections process) and measured in interleaved rounds (--rounds, default 1), so both see the
 * same machine. Ends with the cluster/single ratios.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bearer, serviceClient } from '../gateways/grpc/client.ts';
import { PROTO_FILES, PROTO_ROOT } from '../gateways/grpc/proto.ts';
import { startNatsCluster } from '../test/support/nats-cluster.ts';
import { benchEnv, freePort, startRole, type RoleProcess } from './guardyn-process.ts';
import { describeLoad, runUnaryLoad, type UnaryLoadResult } from './load.ts';
import { describeMachine } from './machine.ts';
import { measureSendToFrame } from './realtime.ts';
import {
  describeRun,
  interleavedRounds,
  parsePositiveInt,
  printReport,
  startBenchNats,
  type BenchArgs,
} from './run.ts';
import type { BenchUser } from './send-requests.ts';
import { registerUsers } from './send.ts';
import { medianPairedRatio, medianRun, type Stats } from './stats.ts';

const SEND_REQUESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'send-requests.ts');
const BENCH_USERS = 200;
const PAIRS = 50;

/** The median over rounds of numerator.p99 / denominator.p99, round by round. */
function medianLatencyRatio(numerator: readonly Stats[], denominator: readonly Stats[]): number {
  const ratios = numerator
    .map((n, i) => (n.p99Ms ?? NaN) / (denominator[i]?.p99Ms ?? NaN))
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  if (ratios.length === 0) return NaN;
  const mid = ratios.length / 2;
  return ratios.length % 2 === 1 ? ratios[Math.floor(mid)]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

interface Topology {
  readonly label: string;
  readonly natsUrl: string;
  readonly natsPids: readonly number[];
  readonly version: string;
  stop(): Promise<void>;
}

async function singleNode(): Promise<Topology> {
  const nats = await startBenchNats();
  return {
    label: 'single',
    natsUrl: nats.server.url,
    natsPids: [nats.server.pid],
    version: nats.server.version,
    stop: () => nats.stop(),
  };
}

async function threeNodes(): Promise<Topology> {
  const cluster = await startNatsCluster();
  return {
    label: 'cluster',
    natsUrl: cluster.url,
    natsPids: cluster.nodes.map((n) => n.pid!),
    version: '',
    stop: () => cluster.stop(),
  };
}

interface Stack {
  readonly topology: Topology;
  readonly roles: { auth: RoleProcess; messaging: RoleProcess; projections: RoleProcess };
  readonly wsUrl: string;
  readonly users: BenchUser[];
  stop(): Promise<void>;
}

/** Guardyn's roles on a topology, its users registered and known to the views. */
async function startStack(topology: Topology, replicas: 1 | 3, payloadBytes: number): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `guardyn-bench-${topology.label}-`));
  const wsPort = await freePort();
  const env = {
    ...benchEnv(topology.natsUrl, dataDir, { cheapPasswords: true }),
    GUARDYN_MESSAGING__STREAM_REPLICAS: String(replicas),
    GUARDYN_MESSAGING__WEBSOCKET_PORT: String(wsPort),
    GUARDYN_MESSAGING__MAX_CONTENT_BYTES: String(Math.max(256 * 1024, payloadBytes)),
    GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET: '0',
    GUARDYN_WEBSOCKET__MAX_SOCKETS_PER_USER: '1000',
  };
  const started: RoleProcess[] = [];
  try {
    const auth = await startRole('auth', env);
    started.push(auth);
    const [messaging, projections] = await Promise.all([startRole('messaging', env), startRole('projections', env)]);
    started.push(messaging!, projections!);
    const users = await registerUsers(auth.port!, BENCH_USERS, `cl_${topology.label}`);
    // The gateway checks tokens against the sessions view: wait until it has the last registration.
    const msg = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${messaging!.port}`);
    try {
      for (let i = 0; ; i++) {
        const r = await msg.GetConversations!({}, bearer(users.at(-1)!.token));
        if (r['result'] === 'success') break;
        if (i > 600)
          throw new Error(`the views did not catch up with the registrations: ${JSON.stringify(r['error'])}`);
        await sleep(100);
      }
    } finally {
      msg.close();
    }
    return {
      topology,
      roles: { auth, messaging: messaging!, projections: projections! },
      wsUrl: `ws://127.0.0.1:${wsPort}/ws`,
      users,
      async stop() {
        for (const r of started.reverse()) await r.stop().catch(() => undefined);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const r of started.reverse()) await r.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

export async function benchCluster(a: BenchArgs): Promise<void> {
  const rate = parsePositiveInt(a.raw['rate'] ?? '100', 'rate');
  const rounds = Number(a.raw['rounds'] ?? '1');
  const stops: (() => Promise<void>)[] = [];
  try {
    const single = await singleNode();
    stops.push(() => single.stop());
    const cluster = await threeNodes();
    stops.push(() => cluster.stop());
    const r1 = await startStack(single, 1, a.payloadBytes);
    stops.push(() => r1.stop());
    const r3 = await startStack(cluster, 3, a.payloadBytes);
    stops.push(() => r3.stop());

    const load = {
      concurrency: a.concurrency,
      processes: a.processes,
      durationMs: a.durationMs,
      warmupMs: a.warmupMs,
      payloadBytes: a.payloadBytes,
      streamsPerChannel: a.streamsPerChannel,
    };
    const observe = (s: Stack): Record<string, number> => ({
      gateway: s.roles.messaging.pid,
      projections: s.roles.projections.pid,
      ...Object.fromEntries(
        s.topology.natsPids.map((pid, i) => [s.topology.natsPids.length === 1 ? 'nats-server' : `nats-${i}`, pid]),
      ),
    });
    const throughput = (s: Stack, name: string): Promise<UnaryLoadResult> =>
      runUnaryLoad({
        name,
        target: `127.0.0.1:${s.roles.messaging.port}`,
        proto: { files: [...PROTO_FILES], includeDirs: [PROTO_ROOT] },
        service: 'guardyn.messaging.MessagingService',
        method: 'SendMessage',
        makeRequest: { module: SEND_REQUESTS, exportName: 'makeSendRequest', arg: s.users },
        ...load,
        observePids: observe(s),
      });
    const delivery = async (s: Stack, name: string): Promise<Stats> => {
      const msg = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${s.roles.messaging.port}`);
      try {
        return await measureSendToFrame({
          name,
          messaging: msg,
          wsUrl: s.wsUrl,
          senders: s.users.slice(0, PAIRS),
          recipients: s.users.slice(PAIRS, 2 * PAIRS),
          rate,
          durationMs: a.durationMs,
          payloadBytes: a.payloadBytes,
        });
      } finally {
        msg.close();
      }
    };

    const runs = await interleavedRounds(
      rounds,
      {
        sendSingle: () => throughput(r1, 'SendMessage, single node (R1)'),
        sendCluster: () => throughput(r3, 'SendMessage, 3-node cluster (R3)'),
        frameSingle: () => delivery(r1, 'send → ws frame, single node (R1)'),
        frameCluster: () => delivery(r3, 'send → ws frame, 3-node cluster (R3)'),
      },
      (round, name, r) => console.log(describeRun(round, name, r)),
    );
    const rows = [
      medianRun(runs.sendSingle),
      medianRun(runs.sendCluster),
      medianRun(runs.frameSingle),
      medianRun(runs.frameCluster),
    ];
    const [sendSingle, sendCluster, frameSingle, frameCluster] = rows as [
      UnaryLoadResult,
      UnaryLoadResult,
      Stats,
      Stats,
    ];
    printReport({
      title: 'cluster',
      machine: describeMachine({ natsServerVersion: single.version }),
      settings: [
        `topologies: one nats-server with R1 streams; three nats-servers clustered on loopback with R3 streams; each with its own auth, messaging and projections processes (Guardyn connected to the cluster through its server list)`,
        `throughput: ${a.durationMs / 1000} s after ${a.warmupMs / 1000} s warmup, ${describeLoad(sendSingle.settings)}, ${BENCH_USERS} users x 10 peers`,
        `delivery: open loop ${rate}/s for ${a.durationMs / 1000} s over ${PAIRS} sender/recipient pairs, recipients on WebSockets; ${rounds} interleaved round(s), medians`,
      ],
      rows,
      after: [
        `cluster/single send throughput ratio: ${medianPairedRatio(runs.sendCluster, runs.sendSingle).toFixed(2)} (median of the per-round ratios; medians ${sendCluster.rate.toFixed(0)}/s vs ${sendSingle.rate.toFixed(0)}/s)`,
        `cluster/single send p99 ratio: ${medianLatencyRatio(runs.sendCluster, runs.sendSingle).toFixed(2)} (${sendCluster.p99Ms?.toFixed(2)} ms vs ${sendSingle.p99Ms?.toFixed(2)} ms)`,
        `cluster/single send → frame p99 ratio: ${medianLatencyRatio(runs.frameCluster, runs.frameSingle).toFixed(2)} (${frameCluster.p99Ms?.toFixed(2)} ms vs ${frameSingle.p99Ms?.toFixed(2)} ms)`,
      ],
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
