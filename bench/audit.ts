/**
 * `npm run bench -- audit [--commits=1000000] [--subjects=10000] [--content=256] [--rounds=1] [--replay-threads=2] [--profile]`:
 * the analysts' read paths over a MESSAGES stream of well-formed commits with valid hash
 * chains, beside the raw ordered consume of the same stream in the same run:
 *
 * - raw ordered consume: the baseline (bench/raw-consume.ts, reading message bodies only);
 * - audit verify: every commit's chain link checked (SHA-256 over the body) plus one signed
 *   checkpoint over the whole stream (its range digest recomputed);
 * - replay: every commit decoded and upcast, written as JSON Lines to a file, with the output
 *   digest and manifest.
 *
 * The stream is filled untimed with batched raw publishes (one MessageSent per commit,
 * `--content` bytes of ciphertext, `--subjects` conversations), each body encoded by the
 * envelope and chained per subject as the event log does. `--profile` prints where each reader
 * spends its CPU (GUARDYN_BENCH_KEEP_PROFILE=1 keeps the .cpuprofile files in the temp directory).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, generateKeyPairSync, createPublicKey } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { commitHeaders, encodeBody } from '../streams/envelope.ts';
import { JetStreamPublisher } from '../streams/publisher.ts';
import { chainHash, GENESIS } from '../streams/hash-chain.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';
import { sendMessage, T0 } from '../audit/fixtures.ts';
import { writeCheckpoint } from '../audit/checkpoints.ts';
import { verifyStreams } from '../audit/verify.ts';
import { replay } from '../audit/replay.ts';
import { natsRangeReader } from '../streams/range-reader.ts';
import { cpuWindow, describeCpu, describeMachine } from './machine.ts';
import { measureRawConsume } from './raw-consume.ts';
import { startProfile } from './profile.ts';
import { parsePositiveInt, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { assertNoErrors, formatRatio, medianPairedRatio, rateOnly, type Stats } from './stats.ts';

export async function benchAudit(a: BenchArgs): Promise<void> {
  const commits = parsePositiveInt(a.raw['commits'] ?? '1000000', 'commits');
  const subjectCount = parsePositiveInt(a.raw['subjects'] ?? '10000', 'subjects');
  const contentBytes = parsePositiveInt(a.raw['content'] ?? '256', 'content');
  const rounds = a.rounds;
  const profile = a.raw['profile'] === 'true';
  const replayThreads = parsePositiveInt(a.raw['replay-threads'] ?? '2', 'replay-threads');
  const nats = await startBenchNats();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-audit-'));
  const log = await EventLog.connect(nats.server.url, eventRegistry, silentLogger, 'guardyn-bench-audit-fill');
  try {
    await log.ensureStreams();
    const fillStarted = performance.now();
    await fill(log, commits, subjectCount, contentBytes);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const { privateKey } = generateKeyPairSync('ed25519');
    const cpStarted = performance.now();
    await writeCheckpoint(natsRangeReader(log), STREAMS.messages, privateKey);
    const checkpointSeconds = (performance.now() - cpStarted) / 1000;
    const info = await log.jsm.streams.info(STREAMS.messages);
    const bytesPerMsg = Math.round(info.state.bytes / Math.max(1, info.state.messages));

    // The readers use a connection with the client's default options, as the raw consume does.
    const nc = await connect({ servers: nats.server.url, name: 'guardyn-bench-audit' });
    const reader = natsRangeReader({ nc, js: jetstream(nc, { timeout: 5000 }), jsm: await jetstreamManager(nc) });
    const observe = { 'nats-server': nats.server.pid };
    const rows: Stats[] = [];
    const after: string[] = [];
    const paired = { raw: [] as Stats[], verify: [] as Stats[], replay: [] as Stats[], threaded: [] as Stats[] };
    // CPU of this process per commit, µs, for each reader and round: steadier than the rates on a loaded machine.
    const cpuPerCommit = { raw: [] as number[], verify: [] as number[], replay: [] as number[] };
    const usPerCommit = (cpuPercent: number | undefined, rate: number) =>
      cpuPercent === undefined || rate <= 0 ? Number.NaN : (cpuPercent / 100 / rate) * 1e6;
    for (let round = 1; round <= rounds; round++) {
      const stopRawProfile = profile ? await startProfile() : undefined;
      const raw = await measureRawConsume(nats.server.url, {
        stream: STREAMS.messages,
        messages: commits,
        observePids: observe,
        timeoutMs: 600_000,
      });
      rows.push(raw);
      paired.raw.push(raw);
      cpuPerCommit.raw.push(usPerCommit(raw.cpu['consumer'], raw.rate));
      if (stopRawProfile) after.push('raw ordered consume:', ...(await stopRawProfile()), '');

      let meter = cpuWindow(observe, 'audit');
      const stopVerifyProfile = profile ? await startProfile() : undefined;
      const v = await verifyStreams(reader, { streams: [STREAMS.messages], publicKey: createPublicKey(privateKey) });
      let cpu = meter.stop();
      if (stopVerifyProfile) after.push('verify:', ...(await stopVerifyProfile()), '');
      const verify = rateOnly(
        'audit verify',
        v.verified,
        v.seconds,
        `${v.ok ? 'ok' : `BROKEN ${v.breaks[0]?.kind}`}, checkpoints ${v.streams[0]?.checkpoints.verified}/${v.streams[0]?.checkpoints.total}; ${describeCpu(cpu)}`,
      );
      rows.push(verify);
      paired.verify.push(verify);
      cpuPerCommit.verify.push(usPerCommit(cpu['audit'], verify.rate));
      if (!v.ok) throw new Error(`verify found breaks in a clean log: ${JSON.stringify(v.breaks.slice(0, 3))}`);

      const out = path.join(outDir, `replay-${round}.jsonl`);
      meter = cpuWindow(observe, 'replay');
      const stopReplayProfile = profile ? await startProfile() : undefined;
      const t0 = performance.now();
      const m = await replay(reader, eventRegistry, { streams: [STREAMS.messages], window: {}, format: 'jsonl', out });
      const seconds = (performance.now() - t0) / 1000;
      cpu = meter.stop();
      if (stopReplayProfile) after.push('replay:', ...(await stopReplayProfile()), '');
      const rep = rateOnly(
        'replay (jsonl to a file)',
        m.output.commits,
        seconds,
        `${m.output.events} events, ${(m.output.bytes / 1e6).toFixed(0)} MB out, malformed ${m.output.malformed}; ${describeCpu(cpu)}`,
      );
      rows.push(rep);
      paired.replay.push(rep);
      cpuPerCommit.replay.push(usPerCommit(cpu['replay'], rep.rate));
      fs.rmSync(out, { force: true });
      if (m.output.commits !== commits) throw new Error(`replay read ${m.output.commits} of ${commits} commits`);

      // The same replay with worker threads: the same output (digest compared), decoding spread over them.
      meter = cpuWindow(observe, 'replay');
      const stopThreadedProfile = profile ? await startProfile() : undefined;
      const t1 = performance.now();
      const mt = await replay(reader, eventRegistry, {
        streams: [STREAMS.messages],
        window: {},
        format: 'jsonl',
        out,
        threads: replayThreads,
      });
      const threadedSeconds = (performance.now() - t1) / 1000;
      cpu = meter.stop();
      if (stopThreadedProfile)
        after.push(
          `replay, ${replayThreads} worker threads (reading thread only):`,
          ...(await stopThreadedProfile()),
          '',
        );
      const threaded = rateOnly(
        `replay, ${replayThreads} worker threads`,
        mt.output.commits,
        threadedSeconds,
        `same sha256 as one thread: ${mt.output.sha256 === m.output.sha256}; ${describeCpu(cpu)}`,
      );
      rows.push(threaded);
      paired.threaded.push(threaded);
      fs.rmSync(out, { force: true });
      if (mt.output.sha256 !== m.output.sha256)
        throw new Error('replay with worker threads wrote other bytes than with one thread');

      after.push(
        `round ${round}: ${formatRatio('verify/raw consume', verify, raw)}, ${formatRatio('replay/raw consume', rep, raw)}, ` +
          `${formatRatio(`replay with ${replayThreads} threads/raw consume`, threaded, raw)} (target 0.80)`,
      );
    }
    await nc.close();
    // The figures the target is stated in: the median over rounds of each round's paired ratio.
    after.push(
      `replay/raw ratio: ${medianPairedRatio(paired.replay, paired.raw).toFixed(2)} (one thread), ` +
        `${medianPairedRatio(paired.threaded, paired.raw).toFixed(2)} (${replayThreads} worker threads)`,
      `verify/raw ratio: ${medianPairedRatio(paired.verify, paired.raw).toFixed(2)}`,
      `(target 0.80 each; median of ${rounds} round(s)' paired ratios; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
      `CPU of the reading process per commit, µs, by round: raw ${fmtUs(cpuPerCommit.raw)}; verify ${fmtUs(cpuPerCommit.verify)}; replay ${fmtUs(cpuPerCommit.replay)}`,
      `CPU ratios (raw's CPU per commit / the tool's, median): replay ${medianPairedRatio(perCpu(cpuPerCommit.replay), perCpu(cpuPerCommit.raw)).toFixed(2)}, ` +
        `verify ${medianPairedRatio(perCpu(cpuPerCommit.verify), perCpu(cpuPerCommit.raw)).toFixed(2)}`,
    );
    printReport({
      title: 'audit',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `${commits} commits on MESSAGES over ${subjectCount} conversation subjects, one MessageSent each with ${contentBytes} B of ciphertext ` +
          `(${bytesPerMsg} B stored per message with headers); filled in ${fillSeconds.toFixed(1)} s; ` +
          `one signed checkpoint over all of them written in ${checkpointSeconds.toFixed(1)} s; ${rounds} round(s)`,
      ],
      rows,
      after,
    });
    assertNoErrors(rows);
  } finally {
    await log.close();
    await nats.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

const fmtUs = (xs: readonly number[]) => xs.map((x) => x.toFixed(1)).join(' ');

/** Commits per CPU-µs as a rate, so that medianPairedRatio gives the median of the CPU-per-commit ratios. */
const perCpu = (us: readonly number[]): Stats[] => us.map((u) => ({ rate: 1 / u }) as Stats);

/** Batched raw publishes of well-formed, chained commits (bodies encoded by the envelope). */
async function fill(log: EventLog, commits: number, subjectCount: number, contentBytes: number): Promise<void> {
  const heads = new Map<string, string>();
  const content = randomBytes(contentBytes);
  const publisher = new JetStreamPublisher(log.nc, 60_000);
  const window = 4096;
  let inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < commits; i++) {
    const conv = `bench${i % subjectCount}`;
    const subject = subjects.conversation(conv);
    const commit = sendMessage(conv, `m${i}`, `u${i % 7919}`, `u${(i + 1) % 7919}`, T0 + i, content);
    const body = encodeBody(commit, eventRegistry);
    const prev = heads.get(subject) ?? GENESIS;
    const hash = chainHash(prev, subject, body);
    heads.set(subject, hash);
    inFlight.push(publisher.publish(subject, body, commitHeaders(commit, prev, hash)));
    if (inFlight.length >= window) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  publisher.close();
}
