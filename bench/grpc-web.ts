/**
 * `npm run bench -- grpc-web`: what the gRPC-Web bridge adds to a call, beside its baselines, in
 * one run against `guardyn up` (gRPC-Web on the notifications HTTP server of its gateways process,
 * whose CPU is measured), the load generated in this process:
 *
 *   HTTP GET /health        to the same HTTP server: the HTTP client and server alone
 *   ValidateToken gRPC      grpc-js straight to the auth gateway
 *   ValidateToken gRPC-Web  HTTP/1.1 POST → bridge → the same handler, dispatched in-process
 *   SendMessage gRPC        grpc-js straight to the messaging gateway (a commit to JetStream)
 *   SendMessage gRPC-Web    HTTP/1.1 POST → bridge → the same handler, dispatched in-process
 *
 * The HTTP load goes through node:http with keep-alive connections (one per call in flight):
 * fetch costs the load generator several times more CPU per call than grpc-js does, and on a
 * small machine the generator, not the server, would then set the gRPC-Web rate.
 * each with `--concurrency` calls in flight (default 16), ValidateToken also one at a time
 * (latency), in `--rounds` interleaved rounds (default 3; each figure is its median round).
 * Ends with the gRPC-Web/gRPC rate ratio of each method and the line
 * `grpc-web/direct ratio: R`, the lower of the two (the target is at least 0.8).
 * `--profile=DIR` writes a CPU profile of the Guardyn process into DIR when it stops;
 * `--only=TEXT` runs only the rows whose name contains TEXT (for a profile of one path).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { BenchWiring } from './wiring.ts';
import { REPO_ROOT } from '../runtime/repo-root.ts';
import { bearer, serviceClient } from '../gateways/grpc/client.ts';
import { packageDefinition } from '../gateways/grpc/proto.ts';
import { encodeMessage, FrameDecoder, parseTrailers } from '../gateways/grpc-web/frames.ts';
import { benchEnv, freePort } from './guardyn-process.ts';
import { describeMachine, processCpuMs } from './machine.ts';
import { parsePositiveInt, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { LatencyRecorder, medianRun, nowNs, summarize, type Stats } from './stats.ts';

type Op = () => Promise<void>;
type Row = Stats & { serverCpuUsPerCall: number };

/** `inFlight` copies of `op` kept running: the window after `warmupMs`, `durationMs` long. */
async function closedLoop(
  name: string,
  inFlight: number,
  warmupMs: number,
  durationMs: number,
  op: Op,
  note: string,
  serverPid: number,
): Promise<Stats & { serverCpuUsPerCall: number }> {
  const latencies = new LatencyRecorder();
  let errors = 0;
  let all = 0;
  const cpuBefore = processCpuMs(serverPid) ?? NaN;
  const samples: string[] = [];
  const start = performance.now();
  const from = start + warmupMs;
  const until = from + durationMs;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        const t0 = nowNs();
        try {
          await op();
          all++;
          if (performance.now() >= from && performance.now() < until) latencies.record(nowNs() - t0);
        } catch (err) {
          errors++;
          if (samples.length < 3) samples.push((err as Error).message);
        }
      }
    }),
  );
  // The Guardyn process's CPU time over every call of the loop (warm-up included), per call.
  const serverCpuUsPerCall = (((processCpuMs(serverPid) ?? NaN) - cpuBefore) * 1000) / Math.max(1, all);
  const stats = summarize(latencies, {
    name,
    wallSeconds: durationMs / 1000,
    errors,
    errorSamples: samples,
    note: `${note}, server CPU ${serverCpuUsPerCall.toFixed(0)} µs/call`,
  });
  return { ...stats, serverCpuUsPerCall };
}

async function startGuardynUp(
  wiring: BenchWiring,
  env: Record<string, string>,
  httpPort: number,
  profileDir: string | undefined,
): Promise<{ pid: number; stop(): Promise<void> }> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`];
  const child = spawn(process.execPath, [...profile, path.join(REPO_ROOT, 'bin', 'guardyn.js'), 'up'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`guardyn up exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${httpPort}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('guardyn up did not answer /health within 60 s');
    await sleep(100);
  }
  // `guardyn up` supervises: the serving process of the gateways (auth and the notifications HTTP server with
  // gRPC-Web, whose CPU is measured) is its child, named in the pid file.
  const pid = Number(fs.readFileSync(wiring.servePidFile(env['GUARDYN_DATA_DIR']!, 'gateways'), 'utf8'));
  return {
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', kill);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function benchGrpcWeb(a: BenchArgs, wiring: BenchWiring): Promise<void> {
  const concurrency = a.raw['concurrency'] ? parsePositiveInt(a.raw['concurrency'], 'concurrency') : 16;
  const rounds = a.raw['rounds'] ? a.rounds : 3;
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-data-'));
  const [authPort, messagingPort, presencePort, mediaPort, mediaHttpPort, httpPort] = (await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  )) as [number, number, number, number, number, number];
  const env = {
    ...benchEnv(nats.server.url, dataDir, { cheapPasswords: true }),
    GUARDYN_AUTH__PORT: String(authPort),
    GUARDYN_MESSAGING__PORT: String(messagingPort),
    GUARDYN_PRESENCE__PORT: String(presencePort),
    GUARDYN_MEDIA__PORT: String(mediaPort),
    GUARDYN_MEDIA__HTTP_PORT: String(mediaHttpPort),
    GUARDYN_NOTIFICATIONS__PORT: String(httpPort),
  };
  const guardyn = await startGuardynUp(wiring, env, httpPort, a.raw['profile']);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const request = (method: string, urlPath: string, headers: Record<string, string>, body: Buffer | undefined) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: httpPort,
          path: urlPath,
          method,
          agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const post = (urlPath: string, headers: Record<string, string>, body: Buffer) =>
    request('POST', urlPath, headers, body);
  const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${authPort}`);
  const messaging = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${messagingPort}`);
  try {
    const register = async (name: string) => {
      const reg = await auth.Register!({
        username: `webbench_${name}_${process.pid}`,
        password: 'bench password 12345',
      });
      if (reg['result'] !== 'success')
        throw new Error(`registering a bench user failed: ${JSON.stringify(reg['error'])}`);
      return { token: reg['success'].access_token as string, userId: reg['success'].user_id as string };
    };
    const { token } = await register('sender');
    const recipient = await register('recipient');
    const metadata = bearer(token);

    const direct: Op = async () => {
      const r = await auth.ValidateToken!({ access_token: token }, metadata);
      if (r['result'] !== 'success') throw new Error(`ValidateToken: ${JSON.stringify(r['error'])}`);
    };
    /** One gRPC-Web call of `service/name` with `request` (the same bytes every time); `ok` checks the answer. */
    const webOp = (
      service: string,
      name: string,
      request: Record<string, unknown>,
      ok: (reply: any) => boolean,
    ): Op => {
      const method = (packageDefinition as any)[service][name];
      const body = encodeMessage(method.requestSerialize(request));
      const url = `/${service}/${name}`;
      const headers = {
        'content-type': 'application/grpc-web+proto',
        'x-grpc-web': '1',
        authorization: `Bearer ${token}`,
      };
      return async () => {
        const res = await post(url, headers, body);
        const frames = new FrameDecoder(1 << 20).push(res.body);
        const trailers = frames.find((f) => f.trailers);
        const status =
          trailers === undefined ? res.headers['grpc-status'] : parseTrailers(trailers.payload)['grpc-status'];
        const message = frames.find((f) => !f.trailers);
        if (status !== '0' || message === undefined || !ok(method.responseDeserialize(message.payload)))
          throw new Error(`gRPC-Web ${name}: status ${status}`);
      };
    };
    const web = webOp(
      'guardyn.auth.AuthService',
      'ValidateToken',
      { access_token: token },
      (r) => r.result === 'success',
    );
    const send = {
      recipient_user_id: recipient.userId,
      encrypted_content: Buffer.alloc(a.payloadBytes, 7),
      message_type: 'TEXT',
    };
    const directSend: Op = async () => {
      const r = await messaging.SendMessage!(send, metadata);
      if (r['result'] !== 'success') throw new Error(`SendMessage: ${JSON.stringify(r['error'])}`);
    };
    const webSend = webOp('guardyn.messaging.MessagingService', 'SendMessage', send, (r) => r.result === 'success');
    const health: Op = async () => {
      const res = await request('GET', '/health', {}, undefined);
      if (res.status !== 200) throw new Error(`health ${res.status}`);
    };

    const plan: [string, number, Op][] = [
      ['HTTP GET /health', concurrency, health],
      ['ValidateToken gRPC', concurrency, direct],
      ['ValidateToken gRPC-Web', concurrency, web],
      ['SendMessage gRPC', concurrency, directSend],
      ['SendMessage gRPC-Web', concurrency, webSend],
      ['ValidateToken gRPC, 1 in flight', 1, direct],
      ['ValidateToken gRPC-Web, 1 in flight', 1, web],
    ];
    const only = a.raw['only'];
    const chosen = only === undefined ? plan : plan.filter(([name]) => name.includes(only));
    const runs = new Map<string, Row[]>(chosen.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, inFlight, op] of round % 2 === 0 ? chosen : [...chosen].reverse()) {
        runs
          .get(name)!
          .push(await closedLoop(name, inFlight, a.warmupMs, a.durationMs, op, `${inFlight} in flight`, guardyn.pid));
      }
    }
    const rows = chosen.map(([name]) => medianRun(runs.get(name)!));
    const settings = [
      `guardyn up in one child process; load from this process; ${rounds} interleaved rounds of ${a.durationMs / 1000} s (median round shown)`,
    ];
    const machine = describeMachine({ natsServerVersion: nats.server.version });
    if (only !== undefined) {
      printReport({ title: 'grpc-web', machine, settings, rows });
      return;
    }
    const [httpRow, grpcRow, webRow, sendRow, webSendRow, grpcOne, webOne] = rows as Row[] as [
      Row,
      Row,
      Row,
      Row,
      Row,
      Row,
      Row,
    ];
    /** gRPC-Web's rate over gRPC's in each round (the two ran one after the other), and their median. */
    const ratios = (direct: string, web: string) => {
      const each = runs.get(web)!.map((w, i) => w.rate / runs.get(direct)![i]!.rate);
      const sorted = [...each].sort((x, y) => x - y);
      return { each, median: sorted[Math.floor((sorted.length - 1) / 2)]! };
    };
    const validate = ratios('ValidateToken gRPC', 'ValidateToken gRPC-Web');
    const sendRatio = ratios('SendMessage gRPC', 'SendMessage gRPC-Web');
    const show = (r: { each: number[]; median: number }) =>
      `${r.median.toFixed(2)} (rounds ${r.each.map((x) => x.toFixed(2)).join(' ')})`;
    printReport({
      title: 'grpc-web',
      machine,
      settings,
      rows,
      after: [
        `gRPC-Web / gRPC rate at ${concurrency} in flight, median of the rounds' ratios: ValidateToken ${show(validate)}, SendMessage ${show(sendRatio)}`,
        `server CPU per call at ${concurrency} in flight: ValidateToken gRPC-Web ${webRow.serverCpuUsPerCall.toFixed(0)} µs, gRPC ${grpcRow.serverCpuUsPerCall.toFixed(0)} µs; SendMessage gRPC-Web ${webSendRow.serverCpuUsPerCall.toFixed(0)} µs, gRPC ${sendRow.serverCpuUsPerCall.toFixed(0)} µs; HTTP GET ${httpRow.serverCpuUsPerCall.toFixed(0)} µs`,
        `latency the bridge adds, one call at a time: p50 +${((webOne.p50Ms ?? 0) - (grpcOne.p50Ms ?? 0)).toFixed(2)} ms, p99 +${((webOne.p99Ms ?? 0) - (grpcOne.p99Ms ?? 0)).toFixed(2)} ms`,
        `grpc-web/direct ratio: ${Math.min(validate.median, sendRatio.median).toFixed(2)}`,
      ],
    });
  } finally {
    auth.close();
    messaging.close();
    agent.destroy();
    await guardyn.stop();
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
