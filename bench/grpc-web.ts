/**
 * `npm run bench -- grpc-web`: what the gRPC-Web bridge adds to a call, beside its baselines, in
 * one run against `guardyn up` (gRPC-Web on the notifications HTTP server of its gateways process,
 * whose CPU is measured), the load generated in this process:
 *
 *   HTTP GET /health        fetch to the same HTTP server: the HTTP client and server alone
 *   ValidateToken gRPC      grpc-js straight to the auth gateway
 *   ValidateToken gRPC-Web  fetch → bridge → the same auth gateway on loopback
 *
 * each with `--concurrency` calls in flight (default 16) and one at a time (latency), in
 * `--rounds` interleaved rounds (default 3; each figure is its median round). Ends with the
 * gRPC-Web/gRPC rate ratio and the latency the bridge adds one call at a time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { servePidFile } from '../bin/supervisor.ts';
import { REPO_ROOT } from '../ops/nats/local-server.ts';
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
async function closedLoop(name: string, inFlight: number, warmupMs: number, durationMs: number, op: Op, note: string, serverPid: number): Promise<Stats & { serverCpuUsPerCall: number }> {
  const latencies = new LatencyRecorder();
  let errors = 0;
  let all = 0;
  const cpuBefore = processCpuMs(serverPid) ?? NaN;
  const samples: string[] = [];
  const start = performance.now();
  const from = start + warmupMs;
  const until = from + durationMs;
  await Promise.all(Array.from({ length: inFlight }, async () => {
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
  }));
  // The Guardyn process's CPU time over every call of the loop (warm-up included), per call.
  const serverCpuUsPerCall = (((processCpuMs(serverPid) ?? NaN) - cpuBefore) * 1000) / Math.max(1, all);
  const stats = summarize(latencies, { name, wallSeconds: durationMs / 1000, errors, errorSamples: samples, note: `${note}, server CPU ${serverCpuUsPerCall.toFixed(0)} µs/call` });
  return { ...stats, serverCpuUsPerCall };
}

async function startGuardynUp(env: Record<string, string>, httpPort: number): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'guardyn.js'), 'up'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`guardyn up exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('guardyn up did not answer /health within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  // `guardyn up` supervises: the serving process of the gateways (auth and the notifications HTTP server with
  // gRPC-Web, whose CPU is measured) is its child, named in the pid file.
  const pid = Number(fs.readFileSync(servePidFile(env['GUARDYN_DATA_DIR']!, 'gateways'), 'utf8'));
  return {
    pid,
    stop: () => new Promise<void>((resolve) => {
      process.off('exit', kill);
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export async function benchGrpcWeb(a: BenchArgs): Promise<void> {
  const concurrency = a.raw['concurrency'] ? parsePositiveInt(a.raw['concurrency'], 'concurrency') : 16;
  const rounds = a.raw['rounds'] ? a.rounds : 3;
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-data-'));
  const [authPort, messagingPort, presencePort, mediaPort, mediaHttpPort, httpPort] = await Promise.all(Array.from({ length: 6 }, () => freePort())) as [number, number, number, number, number, number];
  const env = {
    ...benchEnv(nats.server.url, dataDir, { cheapPasswords: true }),
    GUARDYN_AUTH__PORT: String(authPort), GUARDYN_MESSAGING__PORT: String(messagingPort), GUARDYN_PRESENCE__PORT: String(presencePort),
    GUARDYN_MEDIA__PORT: String(mediaPort), GUARDYN_MEDIA__HTTP_PORT: String(mediaHttpPort), GUARDYN_NOTIFICATIONS__PORT: String(httpPort),
  };
  const guardyn = await startGuardynUp(env, httpPort);
  const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${authPort}`);
  try {
    const reg = await auth.Register!({ username: `webbench_${process.pid}`, password: 'bench password 12345' });
    if (reg['result'] !== 'success') throw new Error(`registering the bench user failed: ${JSON.stringify(reg['error'])}`);
    const token: string = reg['success'].access_token;
    const metadata = bearer(token);

    const direct: Op = async () => {
      const r = await auth.ValidateToken!({ access_token: token }, metadata);
      if (r['result'] !== 'success') throw new Error(`ValidateToken: ${JSON.stringify(r['error'])}`);
    };
    const method = (packageDefinition as any)['guardyn.auth.AuthService']['ValidateToken'];
    const body = new Uint8Array(encodeMessage(method.requestSerialize({ access_token: token })));
    const url = `http://127.0.0.1:${httpPort}/guardyn.auth.AuthService/ValidateToken`;
    const headers = { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', authorization: `Bearer ${token}` };
    const web: Op = async () => {
      const res = await fetch(url, { method: 'POST', headers, body });
      const frames = new FrameDecoder(1 << 20).push(new Uint8Array(await res.arrayBuffer()));
      const trailers = frames.find((f) => f.trailers);
      const status = trailers === undefined ? res.headers.get('grpc-status') : parseTrailers(trailers.payload)['grpc-status'];
      const message = frames.find((f) => !f.trailers);
      if (status !== '0' || message === undefined || method.responseDeserialize(message.payload).result !== 'success') throw new Error(`gRPC-Web ValidateToken: status ${status}`);
    };
    const health: Op = async () => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/health`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`health ${res.status}`);
    };

    const plan: [string, number, Op][] = [
      ['HTTP GET /health (fetch)', concurrency, health],
      ['ValidateToken gRPC', concurrency, direct],
      ['ValidateToken gRPC-Web', concurrency, web],
      ['ValidateToken gRPC, 1 in flight', 1, direct],
      ['ValidateToken gRPC-Web, 1 in flight', 1, web],
    ];
    const runs = new Map<string, (Stats & { serverCpuUsPerCall: number })[]>(plan.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, inFlight, op] of round % 2 === 0 ? plan : [...plan].reverse()) {
        runs.get(name)!.push(await closedLoop(name, inFlight, a.warmupMs, a.durationMs, op, `${inFlight} in flight`, guardyn.pid));
      }
    }
    const rows = plan.map(([name]) => medianRun(runs.get(name)!));
    const [httpRow, grpcRow, webRow, grpcOne, webOne] = rows as (Stats & { serverCpuUsPerCall: number })[] as [Row, Row, Row, Row, Row];
    printReport({
      title: 'grpc-web',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [`guardyn up in one child process; load from this process; ${rounds} interleaved rounds of ${a.durationMs / 1000} s (median round shown)`],
      rows,
      after: [
        `gRPC-Web / gRPC rate at ${concurrency} in flight: ${(webRow.rate / grpcRow.rate).toFixed(2)}`,
        `server CPU per call at ${concurrency} in flight: gRPC-Web ${webRow.serverCpuUsPerCall.toFixed(0)} µs = gRPC ${grpcRow.serverCpuUsPerCall.toFixed(0)} µs + HTTP ${httpRow.serverCpuUsPerCall.toFixed(0)} µs + bridge ${(webRow.serverCpuUsPerCall - grpcRow.serverCpuUsPerCall - httpRow.serverCpuUsPerCall).toFixed(0)} µs (grpc-js client, framing)`,
        `latency the bridge adds, one call at a time: p50 +${((webOne.p50Ms ?? 0) - (grpcOne.p50Ms ?? 0)).toFixed(2)} ms, p99 +${((webOne.p99Ms ?? 0) - (grpcOne.p99Ms ?? 0)).toFixed(2)} ms`,
      ],
    });
  } finally {
    auth.close();
    await guardyn.stop();
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
