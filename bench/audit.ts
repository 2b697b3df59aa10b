/**
 * `npm run bench -- audit [--commits=1000000] [--subjects=10000] [--content=256] [--rounds=1] [--replay-threads=<n>] [--verify-threads=<n>] [--profile]`:
 * the analysts' read paths over a MESSAGES stream of well-formed commits with valid hash
 * chains, beside the raw ordered consume of the same stream in the same run:
 *
 * - raw ordered consume: the baseline (bench/raw-consume.ts, reading message bodies only);
 * - audit verify: every commit's chain link checked (SHA-256 over the body) plus one signed
 *   checkpoint over the whole stream (its range digest recomputed), as `guardyn audit verify` runs
 *   it and all in the reading thread (`--verify-threads`: the run with workers, default the
 *   command's, one per core beside the reader, or 1 where that is 0);
 * - replay: every commit decoded and upcast, written as JSON Lines to a file, with the output
 *   digest and manifest, all in the reading thread and with worker threads (`--replay-threads`, as
 *   for verify). The headline ratios name which run is the command as shipped.
 *
 * The CPU per commit is given per thread: the reading thread's (from /proc) and the other
 * threads' (worker threads, libuv, GC helpers: the process's CPU less the reading thread's).
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
import { defaultVerifyThreads, verifyStreams, type VerifyReport } from '../audit/verify.ts';
import { defaultReplayThreads, replay, type ReplayManifest } from '../audit/replay.ts';
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
  // The runs with worker threads: as the commands run by default, or one worker where they run without.
  const replayThreads = parsePositiveInt(
    a.raw['replay-threads'] ?? String(Math.max(1, defaultReplayThreads())),
    'replay-threads',
  );
  const verifyThreads = parsePositiveInt(
    a.raw['verify-threads'] ?? String(Math.max(1, defaultVerifyThreads())),
    'verify-threads',
  );
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
    const kinds = ['raw', 'verify1', 'verify', 'replay1', 'replay'] as const;
    type Kind = (typeof kinds)[number];
    const paired = Object.fromEntries(kinds.map((k) => [k, [] as Stats[]])) as Record<Kind, Stats[]>;
    // CPU per commit, µs, for each reader and round: the process's, the reading thread's and the other threads'.
    const cpuPerCommit = Object.fromEntries(kinds.map((k) => [k, [] as ThreadCpu[]])) as Record<Kind, ThreadCpu[]>;
    const verifyLabel = `audit verify, ${verifyThreads} worker thread${verifyThreads === 1 ? '' : 's'}`;
    const replayLabel = `replay, ${replayThreads} worker thread${replayThreads === 1 ? '' : 's'}`;
    /** Runs one reader with its CPU meter (and profile); the row from its result. */
    const measured = async <T>(
      kind: Kind,
      label: string,
      run: () => Promise<T>,
      row: (r: T, seconds: number, cpu: string) => Stats,
      commitsOf: (r: T) => number,
    ): Promise<T> => {
      const meter = cpuWindow(observe, 'reader');
      const thread0 = readingThreadCpuMs();
      const stopProfile = profile ? await startProfile() : undefined;
      const t0 = performance.now();
      const r = await run();
      const seconds = (performance.now() - t0) / 1000;
      const cpu = meter.stop();
      const readingMs = readingThreadCpuMs() - thread0;
      if (stopProfile) after.push(`${label} (reading thread only):`, ...(await stopProfile()), '');
      const stats = row(r, seconds, describeCpu(cpu));
      rows.push(stats);
      paired[kind].push(stats);
      const n = Math.max(1, commitsOf(r));
      const totalUs = ((cpu['reader'] ?? Number.NaN) / 100) * seconds * 1e6;
      const readingUs = readingMs * 1000;
      cpuPerCommit[kind].push({ total: totalUs / n, reading: readingUs / n, other: (totalUs - readingUs) / n });
      return r;
    };
    const publicKey = createPublicKey(privateKey);
    const usPerCommit = (cpuPercent: number | undefined, rate: number) =>
      cpuPercent === undefined || rate <= 0 ? Number.NaN : (cpuPercent / 100 / rate) * 1e6;
    const verifyRow = (label: string) => (v: VerifyReport, seconds: number, cpu: string) => {
      if (!v.ok) throw new Error(`verify found breaks in a clean log: ${JSON.stringify(v.breaks.slice(0, 3))}`);
      return rateOnly(
        label,
        v.verified,
        seconds,
        `ok, checkpoints ${v.streams[0]?.checkpoints.verified}/${v.streams[0]?.checkpoints.total}; ${cpu}`,
      );
    };
    let digest = '';
    const replayRow =
      (label: string, first: boolean) =>
      (m: ReplayManifest, seconds: number, cpu: string): Stats => {
        if (m.output.commits !== commits) throw new Error(`replay read ${m.output.commits} of ${commits} commits`);
        if (first) digest = m.output.sha256;
        else if (m.output.sha256 !== digest)
          throw new Error('replay with worker threads wrote other bytes than with one thread');
        return rateOnly(
          label,
          m.output.commits,
          seconds,
          `${m.output.events} events, ${(m.output.bytes / 1e6).toFixed(0)} MB out, malformed ${m.output.malformed}` +
            `${first ? '' : `, same sha256 as one thread: ${m.output.sha256 === digest}`}; ${cpu}`,
        );
      };
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
      const rawUs = usPerCommit(raw.cpu['consumer'], raw.rate);
      cpuPerCommit.raw.push({ total: rawUs, reading: Number.NaN, other: Number.NaN });
      if (stopRawProfile) after.push('raw ordered consume:', ...(await stopRawProfile()), '');

      for (const [kind, threads, label] of [
        ['verify1', 0, 'audit verify, one thread'],
        ['verify', verifyThreads, verifyLabel],
      ] as const)
        await measured(
          kind,
          label,
          () => verifyStreams(reader, { streams: [STREAMS.messages], publicKey, threads }),
          verifyRow(label),
          (v) => v.verified,
        );

      const out = path.join(outDir, `replay-${round}.jsonl`);
      for (const [kind, threads, label] of [
        ['replay1', 0, 'replay (jsonl to a file)'],
        ['replay', replayThreads, replayLabel],
      ] as const) {
        await measured(
          kind,
          label,
          () =>
            replay(reader, eventRegistry, { streams: [STREAMS.messages], window: {}, format: 'jsonl', out, threads }),
          replayRow(label, threads === 0),
          (m) => m.output.commits,
        );
        fs.rmSync(out, { force: true });
      }

      const last = (k: Kind) => paired[k][paired[k].length - 1]!;
      after.push(
        `round ${round}: ${formatRatio('verify/raw consume', last('verify'), raw)} (one thread ${ratio(last('verify1'), raw)}), ` +
          `${formatRatio('replay/raw consume', last('replay'), raw)} (one thread ${ratio(last('replay1'), raw)}) (target 0.80)`,
      );
    }
    await nc.close();
    // The figures the target is stated in: the median over rounds of each round's paired ratio.
    const median = (k: Kind) => medianPairedRatio(paired[k], paired.raw).toFixed(2);
    after.push(
      headline('replay', median('replay1'), median('replay'), replayThreads, defaultReplayThreads()),
      headline('verify', median('verify1'), median('verify'), verifyThreads, defaultVerifyThreads()),
      `(target 0.80 each; median of ${rounds} round(s)' paired ratios; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
      'CPU per commit, µs, by round: the process (the reading thread + the other threads)',
      ...kinds.map((k) => `  ${k.padEnd(8)} ${cpuPerCommit[k].map(fmtCpu).join('; ')}`),
      `CPU ratios (raw's CPU per commit / the tool's process, median): ` +
        kinds
          .slice(1)
          .map((k) => `${k} ${medianPairedRatio(perCpu(cpuPerCommit[k]), perCpu(cpuPerCommit.raw)).toFixed(2)}`)
          .join(', '),
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

interface ThreadCpu {
  readonly total: number;
  readonly reading: number;
  readonly other: number;
}

const fmtCpu = (c: ThreadCpu) =>
  Number.isNaN(c.reading)
    ? c.total.toFixed(1)
    : `${c.total.toFixed(1)} (${c.reading.toFixed(1)} + ${Math.max(0, c.other).toFixed(1)})`;

/** `<tool>/raw ratio: R (…)`: R is the tool as its command runs by default (its thread count), the other run beside it. */
function headline(tool: string, oneThread: string, threaded: string, threads: number, byDefault: number): string {
  const workers = `${threads} worker thread${threads === 1 ? '' : 's'}`;
  if (byDefault === 0)
    return `${tool}/raw ratio: ${oneThread} (as shipped: all in the reading thread; with ${workers} ${threaded})`;
  if (threads === byDefault) return `${tool}/raw ratio: ${threaded} (as shipped: ${workers}; one thread ${oneThread})`;
  return `${tool}/raw ratio: ${threaded} (${workers}, not the command's default of ${byDefault}; one thread ${oneThread})`;
}

const ratio = (a: Stats, b: Stats) => (b.rate > 0 ? (a.rate / b.rate).toFixed(2) : 'n/a');

/** Commits per CPU-µs as a rate, so that medianPairedRatio gives the median of the CPU-per-commit ratios. */
const perCpu = (cpu: readonly ThreadCpu[]): Stats[] => cpu.map((c) => ({ rate: 1 / c.total }) as Stats);

/** The reading thread's CPU time so far, ms (Linux: /proc/self/task/<pid>/stat, in clock ticks of 10 ms); NaN elsewhere. */
function readingThreadCpuMs(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line; after the name, fields start at 3.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

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
