/**
 * `npm run bench -- group`: one group of 100 members, each with a ReceiveMessages
 * stream open; members send group messages (closed loop, `--concurrency`, 8 by
 * default) and every member's stream receives them. Prints sends/s, deliveries/s
 * (fan-out) and the time from send to arrival on a member's stream (p50/p99),
 * beside the raw JetStream publish baseline of the send bench.
 *
 * The closed loop finds the most sends/s; its latencies include the backlog
 * that builds when delivery falls behind. A second, paced phase then sends at
 * a fixed rate (`--rate`, 20 sends/s by default: 99 × that deliveries/s) from
 * this process, open loop, and reports the steady-state send → stream latency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { bearer, serviceClient } from '../gateways/grpc/client.ts';
import { PROTO_FILES, PROTO_ROOT } from '../gateways/grpc/proto.ts';
import type { GroupBenchArg } from './group-requests.ts';
import { benchEnv, startRole } from './guardyn-process.ts';
import { describeLoad, runUnaryLoad } from './load.ts';
import { describeMachine } from './machine.ts';
import { measureRawPublish } from './raw-publish.ts';
import { parsePositiveInt, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { LatencyRecorder, summarize, type Stats } from './stats.ts';

const GROUP_REQUESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'group-requests.ts');
const PASSWORD = 'bench password 12345';

export async function benchGroup(a: BenchArgs): Promise<void> {
  const members = parsePositiveInt(a.raw['members'] ?? '100', 'members');
  const concurrency = parsePositiveInt(a.raw['concurrency'] ?? '8', 'concurrency');
  const pacedRate = parsePositiveInt(a.raw['rate'] ?? '20', 'rate');
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-group-'));
  const env = benchEnv(nats.server.url, dataDir, { cheapPasswords: true });
  const started: { stop(): Promise<void> }[] = [];
  const streams: grpc.ClientReadableStream<unknown>[] = [];
  try {
    const auth = await startRole('auth', env);
    started.push(auth);
    const messaging = await startRole('messaging', env);
    started.push(messaging);
    started.push(await startRole('projections', env));

    const authClient = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${auth.port}`);
    const users: { id: string; token: string }[] = [];
    for (let i = 0; i < members; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, members - i) }, (_, j) =>
          authClient.Register!({ username: `group_${process.pid}_${i + j}`, password: PASSWORD }),
        ),
      );
      for (const r of batch) {
        if (r['result'] !== 'success')
          throw new Error(`registering a bench user failed: ${JSON.stringify(r['error'])}`);
        users.push({ id: r['success'].user_id, token: r['success'].access_token });
      }
    }
    authClient.close();
    const msg = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${messaging.port}`);
    const owner = users[0]!;
    const created = await msg.CreateGroup!(
      { group_name: 'bench', member_user_ids: users.slice(1).map((u) => u.id) },
      bearer(owner.token),
    );
    if (created['result'] !== 'success')
      throw new Error(`creating the bench group failed: ${JSON.stringify(created['error'])}`);
    const groupId = created['success'].group_id as string;

    // Every member's stream, on its own connection, in this process.
    const latency = new LatencyRecorder();
    let deliveries = 0;
    let lastDelivery = 0;
    // Messages sent within the load's measured window (after its warmup) are the ones counted.
    let windowFrom = Infinity;
    let windowTo = Infinity;
    // The paced phase's window and figures.
    const pacedLatency = new LatencyRecorder();
    let pacedDeliveries = 0;
    let pacedFrom = Infinity;
    let pacedTo = Infinity;
    /** When any message last reached a member's stream (the backlog has drained once this stays quiet). */
    let lastArrival = 0;
    for (const u of users) {
      const client = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${messaging.port}`);
      const raw = client.raw as unknown as Record<
        string,
        (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<{ encrypted_content: Buffer }>
      >;
      const call = raw['ReceiveMessages']!.call(client.raw, {}, bearer(u.token));
      call.on('data', (m: { encrypted_content: Buffer }) => {
        if (m.encrypted_content.length < 8) return;
        const sentAt = m.encrypted_content.readDoubleBE(0);
        const now = performance.timeOrigin + performance.now();
        lastArrival = now;
        if (sentAt >= pacedFrom && sentAt <= pacedTo) {
          pacedDeliveries += 1;
          pacedLatency.record((now - sentAt) * 1e6);
          return;
        }
        if (sentAt < windowFrom || sentAt > windowTo) return;
        deliveries += 1;
        lastDelivery = now;
        latency.record((now - sentAt) * 1e6);
      });
      call.on('error', () => undefined);
      streams.push(call);
    }
    await sleep(1000);

    windowFrom = Date.now() + a.warmupMs;
    const send = await runUnaryLoad({
      name: `SendGroupMessage (${members} members)`,
      target: `127.0.0.1:${messaging.port}`,
      proto: { files: [...PROTO_FILES], includeDirs: [PROTO_ROOT] },
      service: 'guardyn.messaging.MessagingService',
      method: 'SendGroupMessage',
      makeRequest: {
        module: GROUP_REQUESTS,
        exportName: 'makeGroupSendRequest',
        arg: { groupId, senders: users.map((u) => u.token) } satisfies GroupBenchArg,
      },
      concurrency,
      processes: 1,
      durationMs: a.durationMs,
      warmupMs: a.warmupMs,
      payloadBytes: a.payloadBytes,
      streamsPerChannel: a.streamsPerChannel,
      observePids: { gateway: messaging.pid, 'nats-server': nats.server.pid },
    });
    windowTo = Date.now();
    const expected = Math.round(send.count * (members - 1));
    const deadline = Date.now() + 60_000;
    while (deliveries < expected && Date.now() < deadline) await sleep(200);
    const delivered = summarize(latency, {
      name: 'deliveries (send → member stream)',
      wallSeconds: Math.max(0.001, (lastDelivery - windowFrom) / 1000),
      count: deliveries,
      note: `${deliveries} of ${expected} expected (messages sent in the measured window after the warmup x ${members - 1} other members)`,
    });

    // Paced phase: open loop at a fixed rate, once the closed loop's backlog has drained
    // (no message has reached any stream for 2 s).
    const settle = Date.now() + 180_000;
    while (performance.timeOrigin + performance.now() - lastArrival < 2000 && Date.now() < settle) await sleep(200);
    const closedLoopDeliveries = deliveries;
    const paced = await sendPaced(
      msg,
      groupId,
      users.map((u) => u.token),
      pacedRate,
      a.durationMs,
      a.payloadBytes,
      (from, to) => {
        pacedFrom = from;
        pacedTo = to;
      },
    );
    const pacedExpected = paced.sent * (members - 1);
    const pacedDeadline = Date.now() + 30_000;
    while (pacedDeliveries < pacedExpected && Date.now() < pacedDeadline) await sleep(100);
    const steady = summarize(pacedLatency, {
      name: `steady state: ${pacedRate} sends/s paced → member streams`,
      wallSeconds: a.durationMs / 1000,
      count: pacedDeliveries,
      note: `${pacedDeliveries} of ${pacedExpected} expected deliveries; ${paced.sent} sends (${paced.failed} failed), send p50 ${(paced.sendP50Ms).toFixed(1)} ms`,
    });
    msg.close();

    const rows: Stats[] = [send, delivered, steady];
    rows.push(
      await measureRawPublish(nats.server.url, {
        durationMs: a.durationMs,
        warmupMs: a.warmupMs,
        payloadBytes: a.payloadBytes,
        window: a.window,
        subjects: a.subjects,
        noAsyncTraces: true,
        observePids: { 'nats-server': nats.server.pid },
      }),
    );
    printReport({
      title: 'group',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `run: ${a.durationMs / 1000} s after ${a.warmupMs / 1000} s warmup, payload ${a.payloadBytes} B`,
        `load generator: ${describeLoad(send.settings)}; ${members} members, each with one ReceiveMessages stream open in the bench process`,
      ],
      rows,
      after: [
        `fan-out: ${(closedLoopDeliveries / Math.max(1, send.count)).toFixed(1)} deliveries per group message of the closed loop (sends completing in its window; messages sent in it but answered after it also arrive)`,
      ],
    });
  } finally {
    for (const s of streams) s.cancel();
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Sends at `rate`/s for `durationMs` (open loop: a late reply does not delay the next send). */
async function sendPaced(
  msg: ReturnType<typeof serviceClient>,
  groupId: string,
  tokens: readonly string[],
  rate: number,
  durationMs: number,
  payloadBytes: number,
  window: (from: number, to: number) => void,
): Promise<{ sent: number; failed: number; sendP50Ms: number }> {
  const filler = Buffer.alloc(Math.max(8, payloadBytes), 7);
  const from = Date.now();
  window(from, from + durationMs);
  const replies: Promise<void>[] = [];
  const took: number[] = [];
  let failed = 0;
  for (let i = 0; ; i++) {
    const due = from + (i * 1000) / rate;
    if (due >= from + durationMs) break;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const content = Buffer.from(filler);
    const t0 = performance.timeOrigin + performance.now();
    content.writeDoubleBE(t0, 0);
    replies.push(
      msg.SendGroupMessage!(
        {
          group_id: groupId,
          encrypted_content: content,
          message_type: 'TEXT',
          client_message_id: `paced-${from}-${i}`,
        },
        bearer(tokens[i % tokens.length]!),
      ).then(
        (r) => {
          if (r['result'] !== 'success') failed++;
          took.push(performance.timeOrigin + performance.now() - t0);
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(replies);
  took.sort((x, y) => x - y);
  return { sent: replies.length, failed, sendP50Ms: took[Math.floor(took.length / 2)] ?? 0 };
}
