import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pino, type Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { EventLog } from '../streams/log.ts';
import { natsRangeReader } from '../streams/range-reader.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { STREAMS } from '../streams/subjects.ts';
import { openConfiguredStores, type Stores } from '../stores/configured.ts';
import { DataKeys } from '../stores/data-keys.ts';
import { DEFAULT_NATS_PORT } from './context.ts';
import { AuditArgumentError, parseBound, parseWindow } from '../audit/window.ts';
import { defaultReplayThreads, FORMATS, MAX_THREADS, replay, type Format } from '../audit/replay.ts';
import { defaultVerifyThreads, MAX_VERIFY_THREADS, verifyStreams, type VerifyReport } from '../audit/verify.ts';
import { CHECKPOINTED_STREAMS } from '../audit/checkpoints.ts';
import { loadVerifyKey } from '../audit/keys.ts';
import { parseAggregate, stateAsOf } from '../audit/as-of.ts';
import { isSubjectFilter } from '../audit/subjects.ts';
import { writeReport } from '../audit/report.ts';
import { allProjections } from '../projections/index.ts';
import { COMMANDS } from './cli-help.ts';

/** The usage lines of `guardyn <command> --help` (bin/cli-help.ts), repeated in argument errors. */
const usageOf = (command: 'replay' | 'audit') => COMMANDS[command]!.usage.join('\n  ');
const REPLAY_USAGE = usageOf('replay');
const AUDIT_USAGE = usageOf('audit');

const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** parseArgs with its errors turned into AuditArgumentError naming the option. */
function parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new AuditArgumentError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

function streamsOf(raw: string[] | undefined, fallback: readonly string[]): string[] {
  const streams = raw === undefined || raw.length === 0 ? [...fallback] : raw.map((s) => s.trim());
  for (const s of streams)
    if (!STREAM_NAME.test(s)) throw new AuditArgumentError(`--stream ${JSON.stringify(s)} is not a stream name`);
  return [...new Set(streams)];
}

/** Logs go to stderr: stdout may be the replay output. */
function stderrLogger(config: GuardynConfig): Logger {
  return pino({ name: 'guardyn', level: config.logLevel }, pino.destination(2));
}

async function connectLog(config: GuardynConfig, _logger: Logger): Promise<EventLog> {
  const logger = stderrLogger(config);
  return EventLog.connect(
    config.natsUrl ?? `nats://127.0.0.1:${config.localNats.port || DEFAULT_NATS_PORT}`,
    eventRegistry,
    logger,
    'guardyn-audit',
  );
}

/** Whether data keys exist, from the configured key-value store (opened read-side by this process); closed by the caller. */
async function openKeys(
  config: GuardynConfig,
): Promise<{ keyExists: (u: string) => Promise<boolean>; stores: Stores }> {
  const stores = await openConfiguredStores(config, stderrLogger(config));
  const keys = new DataKeys(stores.kv);
  return { keyExists: (u) => keys.exists(u), stores };
}

/** `--threads <n>`: a whole number from 0 to `max`, or `fallback` when absent. */
export function threadsOf(value: string | undefined, fallback: number, max: number): number {
  const threads = value === undefined ? fallback : /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(threads) || threads > max)
    throw new AuditArgumentError(`--threads ${JSON.stringify(value)} must be a whole number from 0 to ${max}`);
  return threads;
}

/** Every named stream must exist: a clear error (exit 2) instead of a failed read. */
async function checkStreams(log: EventLog, streams: readonly string[]): Promise<void> {
  for (const stream of streams) {
    try {
      await log.lastSeq(stream);
    } catch {
      throw new AuditArgumentError(`--stream ${stream}: there is no such stream`);
    }
  }
}

export async function runReplay(config: GuardynConfig, logger: Logger, args: string[]): Promise<number> {
  const { values } = parse({
    args,
    strict: true,
    options: {
      stream: { type: 'string', multiple: true },
      subject: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'jsonl' },
      out: { type: 'string' },
      manifest: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  if (values.stream === undefined) throw new AuditArgumentError(`--stream is required\nusage: ${REPLAY_USAGE}`);
  const threads = threadsOf(values.threads, defaultReplayThreads(), MAX_THREADS);
  const streams = streamsOf(values.stream, []);
  if (!(FORMATS as readonly string[]).includes(values.format!))
    throw new AuditArgumentError(`--format ${JSON.stringify(values.format)} must be one of ${FORMATS.join(', ')}`);
  if (values.subject !== undefined && !isSubjectFilter(values.subject))
    throw new AuditArgumentError(
      `--subject ${JSON.stringify(values.subject)} is not a subject filter (tokens of letters, digits, _ and -, with * and a final >)`,
    );
  const window = parseWindow(values.from, values.to);
  const log = await connectLog(config, logger);
  const { keyExists, stores } = await openKeys(config);
  try {
    const manifest = await replay(natsRangeReader(log), eventRegistry, {
      streams,
      subject: values.subject,
      window,
      format: values.format as Format,
      out: values.out,
      manifest: values.manifest,
      keyExists,
      progress: process.stderr.isTTY === true && (values.out !== undefined || process.stdout.isTTY === true),
      onMalformed: (m) =>
        process.stderr.write(
          `guardyn replay: ${m.stream}#${m.seq} ${m.subject}${m.index === undefined ? '' : ` event ${m.index}`}: ${m.error}\n`,
        ),
      argv: ['guardyn', 'replay', ...args],
      threads,
    });
    if (values.out === undefined && values.manifest === undefined)
      process.stderr.write(`${JSON.stringify(manifest)}\n`);
    else
      process.stderr.write(
        `guardyn replay: ${manifest.output.events} events of ${manifest.output.commits} commits, sha256 ${manifest.output.sha256}${manifest.output.malformed > 0 ? `, ${manifest.output.malformed} malformed` : ''}\n`,
      );
    return 0;
  } finally {
    await stores.close();
    await log.close();
  }
}

export async function runAudit(config: GuardynConfig, logger: Logger, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'verify':
      return auditVerify(config, logger, rest);
    case 'as-of':
      return auditAsOf(config, logger, rest);
    case 'report':
      return auditReport(config, logger, rest);
    default:
      throw new AuditArgumentError(`audit needs one of verify, as-of, report\nusage: ${AUDIT_USAGE}`);
  }
}

async function auditVerify(config: GuardynConfig, logger: Logger, args: string[]): Promise<number> {
  const { values } = parse({
    args,
    strict: true,
    options: {
      stream: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      'require-checkpoints': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      threads: { type: 'string' },
    },
  });
  const threads = threadsOf(values.threads, defaultVerifyThreads(), MAX_VERIFY_THREADS);
  const streams = streamsOf(values.stream, CHECKPOINTED_STREAMS);
  const window = parseWindow(values.from, values.to);
  const publicKey = await loadVerifyKey(config);
  const log = await connectLog(config, logger);
  try {
    await checkStreams(log, streams);
    const report = await verifyStreams(natsRangeReader(log), {
      streams,
      window,
      publicKey,
      requireCheckpoints: values['require-checkpoints'],
      threads,
      progress: process.stderr.isTTY === true && !values.json,
    });
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : describeVerify(report));
    return report.ok ? 0 : 1;
  } finally {
    await log.close();
  }
}

export function describeVerify(r: VerifyReport): string {
  const lines = [
    `verified ${r.verified} commits in ${r.seconds.toFixed(2)} s (${Math.round(r.rate)}/s)`,
    ...r.streams.map(
      (s) =>
        `  ${s.stream}: ${s.verified} commits${s.firstSeq === null ? '' : ` (seq ${s.firstSeq}..${s.lastSeq})`}, ` +
        `checkpoints ${s.checkpoints.verified} verified of ${s.checkpoints.total}${s.checkpoints.outsideWindow ? ` (${s.checkpoints.outsideWindow} outside the window)` : ''}` +
        `${s.uncheckpointed ? `, ${s.uncheckpointed} commits after the last checkpoint` : ''}${s.anchored ? `, ${s.anchored} subjects anchored at the window start` : ''}`,
    ),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  if (r.ok) lines.push('OK: no break found');
  else {
    const first = r.breaks[0]!;
    lines.push(
      `BROKEN: first break in stream ${first.stream}, subject ${first.subject ?? '(range)'}, seq ${first.seq}: ${first.kind}: ${first.detail}`,
    );
    for (const b of r.breaks.slice(1))
      lines.push(`  also ${b.stream} ${b.subject ?? '(range)'} #${b.seq}: ${b.kind}: ${b.detail}`);
    if (r.moreBreaks > 0) lines.push(`  and ${r.moreBreaks} more`);
  }
  return `${lines.join('\n')}\n`;
}

async function auditAsOf(config: GuardynConfig, logger: Logger, args: string[]): Promise<number> {
  const { positionals } = parse({ args, strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 2)
    throw new AuditArgumentError(`as-of needs an aggregate and a time\nusage: ${AUDIT_USAGE}`);
  const ref = parseAggregate(positionals[0]);
  const bound = parseBound(positionals[1]!, 'time');
  if (bound.kind !== 'time')
    throw new AuditArgumentError(
      `time ${JSON.stringify(positionals[1])} must be an ISO 8601 time (e.g. 2025-01-31T12:00:00Z)`,
    );
  const log = await connectLog(config, logger);
  const { keyExists, stores } = await openKeys(config);
  try {
    const result = await stateAsOf(natsRangeReader(log), eventRegistry, ref, bound.ms, keyExists);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    for (const m of result.malformed)
      process.stderr.write(`guardyn audit as-of: ${m.stream}#${m.seq} ${m.subject}: ${m.error}\n`);
    return 0;
  } finally {
    await stores.close();
    await log.close();
  }
}

async function auditReport(config: GuardynConfig, logger: Logger, args: string[]): Promise<number> {
  const { values } = parse({
    args,
    strict: true,
    options: {
      stream: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.out === undefined) throw new AuditArgumentError('--out <file.html> is required');
  const streams = streamsOf(values.stream, [STREAMS.accounts, STREAMS.messages, STREAMS.media, STREAMS.calls]);
  const window = parseWindow(values.from, values.to);
  const log = await connectLog(config, logger);
  const stores = await openConfiguredStores(config, stderrLogger(config));
  try {
    await checkStreams(log, streams);
    const projections = allProjections(stores, log);
    const viewLagNow = async () => {
      const lag: Record<string, number> = {};
      for (const [view, p] of Object.entries(projections))
        lag[view] = Math.max(0, (await log.lastSeq(p.stream)) - (await p.target.checkpoint(p.name)));
      return lag;
    };
    const summary = await writeReport(natsRangeReader(log), { streams, window, out: values.out, viewLagNow });
    process.stderr.write(`guardyn audit report: ${values.out} (${summary.commits} commits, ${summary.hours} hours)\n`);
    return 0;
  } finally {
    await stores.close();
    await log.close();
  }
}
