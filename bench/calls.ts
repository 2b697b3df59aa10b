/**
 * `npm run bench -- calls`: the call service beside messaging, in one run, on one Guardyn
 * (auth, messaging, projections and calls in this process, as `guardyn serve` runs them):
 *
 *   SendMessage → ws frame   gRPC SendMessage to the recipient's `message` frame on :8081 (the baseline)
 *   StartCall → ring frame   gRPC StartCall to the callee's `call_ringing` frame on the call socket (:8082),
 *                            open loop at the same --rate (200/s) over the same --pairs (50) for --duration (5 s)
 *   call set-ups             closed loop, --inflight (16) at once: StartCall → ring → AnswerCall → the caller's
 *                            `call_answered` → HangUp; set-ups per second the service sustains, and their latency
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { BenchWiring } from './wiring.ts';
import { loadConfig } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { bearer, serviceClient } from '../gateways/grpc/client.ts';
import type { BenchUser } from './send-requests.ts';
import { freePort, websocketBenchEnv } from './guardyn-process.ts';
import { describeMachine } from './machine.ts';
import { measureSendToFrame, openWs } from './realtime.ts';
import { parseDurationMs, parsePositiveInt, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { LatencyRecorder, nowNs, summarize, type Stats } from './stats.ts';

const PASSWORD = 'bench password 12345';

/** Frames of one socket, handed to whoever waits for them. */
function frames(ws: WebSocket, on: (f: { type: string; payload: Record<string, any> }) => void): void {
  ws.on('message', (d) => on(JSON.parse(d.toString())));
}

export async function benchCalls(a: BenchArgs, wiring: BenchWiring): Promise<void> {
  const rate = parsePositiveInt(a.raw['rate'] ?? '200', 'rate');
  const durationMs = a.raw['duration'] ? parseDurationMs(a.raw['duration'], 'duration') : 5000;
  const pairs = parsePositiveInt(a.raw['pairs'] ?? '50', 'pairs');
  const inflight = parsePositiveInt(a.raw['inflight'] ?? '16', 'inflight');
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-calls-'));
  const wsPort = await freePort();
  const callWsPort = await freePort();
  const env = {
    ...websocketBenchEnv(nats.server.url, dataDir, wsPort),
    GUARDYN_AUTH__PORT: String(await freePort()),
    GUARDYN_MESSAGING__PORT: String(await freePort()),
    GUARDYN_CALLS__GRPC_PORT: String(await freePort()),
    GUARDYN_CALLS__WEBSOCKET_PORT: String(callWsPort),
    GUARDYN_CALLS__STARTS_PER_CALLER: '1000000',
    GUARDYN_CALLS__SIGNALS_PER_DEVICE: '1000000',
    GUARDYN_LOG_LEVEL: 'error',
  };
  const app = await wiring.startGuardyn(
    loadConfig(env),
    createLogger('error'),
    ['auth', 'messaging', 'projections', 'calls'],
    { startLocalNats: false },
  );
  const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${app.ports.auth}`);
  const messaging = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${app.ports.messaging}`);
  const calls = serviceClient('guardyn.call.CallService', `127.0.0.1:${app.ports.calls}`);
  const sockets: WebSocket[] = [];
  const rows: Stats[] = [];
  try {
    const register = async (i: number): Promise<BenchUser> => {
      const r = await auth.Register!({
        username: `callbench_${process.pid}_${i}`,
        password: PASSWORD,
        email: '',
        device_name: 'b',
        device_type: 'desktop',
      });
      if (r['result'] !== 'success') throw new Error(`register: ${JSON.stringify(r['error'])}`);
      return { id: r['success'].user_id, token: r['success'].access_token };
    };
    const callers: BenchUser[] = [];
    const callees: BenchUser[] = [];
    for (let i = 0; i < pairs; i++) {
      callers.push(await register(2 * i));
      callees.push(await register(2 * i + 1));
    }
    // Each pair shares a conversation, so callees can see (and be called by) their callers.
    let lastSeq = '0';
    for (let i = 0; i < pairs; i++) {
      const r = await messaging.SendMessage!(
        { recipient_user_id: callees[i]!.id, encrypted_content: Buffer.from('hi'), message_type: 'TEXT' },
        bearer(callers[i]!.token),
      );
      lastSeq = r['success'].consistency.seq;
    }
    await messaging.GetConversations!({ min_seq: lastSeq }, bearer(callers[pairs - 1]!.token));

    // Baseline: SendMessage → the recipient's message frame on :8081.
    rows.push(
      await measureSendToFrame({
        messaging,
        wsUrl: `ws://127.0.0.1:${wsPort}/ws`,
        senders: callers,
        recipients: callees,
        rate,
        durationMs,
        payloadBytes: 256,
      }),
    );

    // Call sockets (:8082) of every caller and callee.
    const callUrl = `ws://127.0.0.1:${callWsPort}/ws`;
    const calleeSockets = await Promise.all(callees.map((u) => openWs(callUrl, u.token)));
    const callerSockets = await Promise.all(callers.map((u) => openWs(callUrl, u.token)));
    sockets.push(...calleeSockets, ...callerSockets);

    // StartCall → ring frame, open loop: the offer carries the call's tag, the ring frame brings it back.
    const run = Math.random().toString(36).slice(2, 8);
    const sentAt = new Map<string, number>();
    const ringLat = new LatencyRecorder();
    const toHangUp: { p: number; callId: string }[] = [];
    for (const ws of calleeSockets) {
      frames(ws, (f) => {
        if (f.type !== 'call_ringing' || f.payload['payload'] === undefined) return;
        const tag = Buffer.from(f.payload['payload'], 'base64').toString();
        const t0 = sentAt.get(tag);
        if (t0 !== undefined) {
          ringLat.record(nowNs() - t0);
          sentAt.delete(tag);
        }
      });
    }
    let errors = 0;
    const total = Math.round((rate * durationMs) / 1000);
    const warm = Math.round(rate / 2);
    const started = nowNs();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < total + warm; i++) {
      const wait = (started + (i * 1e9) / rate - nowNs()) / 1e6;
      if (wait > 1) await sleep(wait);
      const p = i % pairs;
      const tag = `c${run}-${i}`;
      if (i >= warm) sentAt.set(tag, nowNs());
      pending.push(
        calls.StartCall!(
          { callee_user_id: callees[p]!.id, media: 'AUDIO', offer: Buffer.from(tag) },
          bearer(callers[p]!.token),
        ).then(
          (r) => {
            if (r['result'] !== 'success') errors++;
            else toHangUp.push({ p, callId: r['success'].call_id });
          },
          () => {
            errors++;
          },
        ),
      );
    }
    await Promise.all(pending);
    const deadline = Date.now() + 10_000;
    while (sentAt.size > 0 && Date.now() < deadline) await sleep(50);
    rows.push(
      summarize(ringLat, {
        name: 'StartCall → ring frame',
        errors: errors + sentAt.size,
        wallSeconds: (nowNs() - started) / 1e9,
        note: `open loop ${rate}/s over ${pairs} pairs`,
      }),
    );
    for (const { p, callId } of toHangUp) await calls.HangUp!({ call_id: callId }, bearer(callers[p]!.token));

    // Call set-ups, closed loop: start → ring → answer → answered → hang up.
    const waiters = new Map<string, () => void>();
    const wake = (key: string) => {
      const w = waiters.get(key);
      if (w) {
        waiters.delete(key);
        w();
      }
    };
    for (const ws of calleeSockets)
      frames(ws, (f) => {
        if (f.type === 'call_ringing' && f.payload['payload'] !== undefined)
          wake(`ring:${Buffer.from(f.payload['payload'], 'base64').toString()}`);
      });
    for (const ws of callerSockets)
      frames(ws, (f) => {
        if (f.type === 'call_answered') wake(`answered:${f.payload['call_id']}`);
      });
    const waitFor = (key: string) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => {
          waiters.delete(key);
          reject(new Error(`no ${key}`));
        }, 10_000);
        waiters.set(key, () => {
          clearTimeout(t);
          resolve();
        });
      });
    const setupLat = new LatencyRecorder();
    let setups = 0;
    let setupErrors = 0;
    const end = Date.now() + durationMs;
    const setupStart = nowNs();
    let seq = 0;
    await Promise.all(
      Array.from({ length: Math.min(inflight, pairs) }, async (_, w) => {
        for (let k = 0; Date.now() < end; k++) {
          const p = (w + k * inflight) % pairs;
          const tag = `s${run}-${seq++}`;
          const t0 = nowNs();
          try {
            const rung = waitFor(`ring:${tag}`);
            const r = await calls.StartCall!(
              { callee_user_id: callees[p]!.id, media: 'VIDEO', offer: Buffer.from(tag) },
              bearer(callers[p]!.token),
            );
            if (r['result'] !== 'success') throw new Error(JSON.stringify(r['error']));
            const callId = r['success'].call_id as string;
            const answered = waitFor(`answered:${callId}`);
            await rung;
            const ans = await calls.AnswerCall!(
              { call_id: callId, answer: Buffer.from('answer') },
              bearer(callees[p]!.token),
            );
            if (ans['result'] !== 'success') throw new Error(JSON.stringify(ans['error']));
            await answered;
            setupLat.record(nowNs() - t0);
            setups++;
            await calls.HangUp!({ call_id: callId }, bearer(callers[p]!.token));
          } catch {
            setupErrors++;
          }
        }
      }),
    );
    const setupWall = (nowNs() - setupStart) / 1e9;
    rows.push(
      summarize(setupLat, {
        name: 'call set-up (start→answered)',
        errors: setupErrors,
        wallSeconds: setupWall,
        note: `closed loop, ${Math.min(inflight, pairs)} in flight, hang-up included in the loop`,
      }),
    );
    const ring = rows[1]!;
    const base = rows[0]!;
    printReport({
      title: 'calls',
      machine: describeMachine(),
      settings: [
        `rate ${rate}/s, ${pairs} pairs, ${durationMs} ms per row, set-ups with ${inflight} in flight`,
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      ],
      rows,
      after: [
        `ring frame p50 / message frame p50: ${((ring.p50Ms ?? NaN) / (base.p50Ms ?? NaN)).toFixed(2)}x; p99: ${((ring.p99Ms ?? NaN) / (base.p99Ms ?? NaN)).toFixed(2)}x`,
        `call set-ups sustained: ${(setups / setupWall).toFixed(0)}/s (${setups} in ${setupWall.toFixed(1)} s, each: StartCall, ring, AnswerCall, answered frame, HangUp)`,
      ],
    });
  } finally {
    for (const s of sockets) s.terminate();
    auth.close();
    messaging.close();
    calls.close();
    await app.stop();
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
