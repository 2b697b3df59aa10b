/**
 * `guardyn replay`: writes the decoded events of one or more streams (a window,
 * a subject filter) as JSON Lines or CSV, and a manifest that lets anyone
 * reproduce the run and check the output: inputs, window, code version, counts
 * and the SHA-256 of the output.
 *
 * Replay only reads (an ordered consumer per stream): it runs no projector, no
 * push and no command, so nothing outside its output changes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EventRegistry } from '../streams/events/registry.ts';
import { readWindow, type RangeReader, type ReadPlan } from './read.ts';
import { csvHeader, type Malformed } from './records.ts';
import { renderCommit, type Format } from './render.ts';
import { defaultAuditThreads } from './worker-threads.ts';
import { DEFAULT_REGISTRY, ReplayPool, type PooledCommit, type RegistryRef } from './replay-pool.ts';
import { DigestingWriter } from './output.ts';
import { progressBar } from './progress.ts';
import { codeVersion, type CodeVersion } from './version.ts';
import { AuditArgumentError, describeBound, type Window } from './window.ts';
import { subjectsOverlap } from './subjects.ts';

export { FORMATS, type Format } from './render.ts';

/** Most worker threads replay takes. */
export const MAX_THREADS = 64;

/** `guardyn replay`'s default: a worker thread per core beside the reading thread, 1 to 4 (audit/worker-threads.ts). */
export const defaultReplayThreads = (): number => defaultAuditThreads();

export interface ReplayOptions {
  readonly streams: readonly string[];
  readonly subject?: string | undefined;
  readonly window: Window;
  readonly format: Format;
  /** Output file; absent: stdout. */
  readonly out?: string | undefined;
  /** Manifest file; default `<out>.manifest.json`, or none when writing to stdout (the manifest is returned). */
  readonly manifest?: string | undefined;
  /** Whether a user's data key still exists (sealed fields show `[redacted]` when not). Default: every key exists. */
  readonly keyExists?: ((userId: string) => Promise<boolean>) | undefined;
  readonly progress?: boolean | undefined;
  /** Told of every malformed commit or event as it is met. */
  readonly onMalformed?: ((m: Malformed) => void) | undefined;
  /** The command line, recorded in the manifest. */
  readonly argv?: readonly string[] | undefined;
  /**
   * Worker threads that decode and format (0, the default: all in the reading thread). The output
   * is the same bytes either way.
   */
  readonly threads?: number | undefined;
  /** Where the worker threads find `registry` (default: streams/events' eventRegistry). */
  readonly registryRef?: RegistryRef | undefined;
}

export interface ReplayManifest {
  readonly tool: 'guardyn replay';
  readonly manifestVersion: 1;
  readonly code: CodeVersion;
  readonly command: readonly string[] | null;
  readonly inputs: { readonly streams: readonly string[]; readonly subject: string | null; readonly format: Format };
  readonly window: {
    readonly from: string | number | null;
    readonly to: string | number | null;
    readonly streams: readonly {
      stream: string;
      subject: string | null;
      firstSeq: number | null;
      lastSeq: number | null;
      commits: number;
    }[];
  };
  readonly output: {
    readonly file: string | null;
    readonly events: number;
    readonly commits: number;
    readonly malformed: number;
    readonly bytes: number;
    readonly sha256: string;
  };
  /** The first malformed commits and events (at most 1000), with their positions. */
  readonly malformed: readonly Malformed[];
  readonly createdAt: string;
}

const MAX_LISTED_MALFORMED = 1000;

export async function replay(
  reader: RangeReader,
  registry: EventRegistry,
  options: ReplayOptions,
): Promise<ReplayManifest> {
  const plans = await planStreams(reader, options.streams, options.subject);
  const threads = options.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0 || threads > MAX_THREADS)
    throw new AuditArgumentError(`--threads must be a whole number from 0 to ${MAX_THREADS}`);
  const writer = await DigestingWriter.open(options.out);
  const bar = progressBar('replay', options.progress ?? false);
  const keys = new Map<string, boolean>();
  const keyExists = options.keyExists ?? (async () => true);
  const keyStatus = (u: string) => keys.get(u);
  const malformed: Malformed[] = [];
  let malformedCount = 0;
  let events = 0;
  let commits = 0;
  const perStream: ReplayManifest['window']['streams'][number][] = [];
  const format = options.format;
  if (format === 'csv') void writer.write(csvHeader());
  // The position of the stream being read: its first and last commit and count.
  let first: number | null = null;
  let last: number | null = null;
  let streamCommits = 0;
  let stream = '';
  const counted = (seq: number, n: number, bad: readonly Malformed[]) => {
    first ??= seq;
    last = seq;
    streamCommits++;
    for (const m of bad) {
      malformedCount++;
      if (malformed.length < MAX_LISTED_MALFORMED) malformed.push(m);
      options.onMalformed?.(m);
    }
    events += n;
    bar.tick();
  };
  /** One commit in this thread: synchronous unless a data key's existence must be looked up or the output must drain. */
  const renderHere = (m: PooledCommit): Promise<void> | undefined => {
    const r = renderCommit(m, stream, registry, format, keyStatus, writer);
    if (r.unknownKeys.length === 0) {
      counted(m.seq, r.events, r.malformed);
      return r.wait;
    }
    return (async () => {
      for (const u of r.unknownKeys) {
        const exists = await keyExists(u);
        keys.set(u, exists);
        pool?.learn(u, exists);
      }
      const again = renderCommit(m, stream, registry, format, keyStatus, writer);
      counted(m.seq, again.events, again.malformed);
      await again.wait;
    })();
  };
  const pool =
    threads === 0
      ? undefined
      : await ReplayPool.start(threads, options.registryRef ?? DEFAULT_REGISTRY, format, writer, {
          rendered: counted,
          renderHere,
        });
  try {
    for (const plan of plans) {
      stream = plan.stream;
      first = null;
      last = null;
      streamCommits = 0;
      await readWindow(
        reader,
        { stream, subject: plan.subject, window: options.window },
        pool === undefined ? renderHere : (m) => pool.add(stream, m),
        (p: ReadPlan) => bar.addTotal(p.pending),
      );
      await pool?.flush();
      commits += streamCommits;
      perStream.push({ stream, subject: plan.subject ?? null, firstSeq: first, lastSeq: last, commits: streamCommits });
    }
  } finally {
    bar.done();
    await pool?.close();
  }
  const { sha256, bytes } = await writer.close();
  const manifest: ReplayManifest = {
    tool: 'guardyn replay',
    manifestVersion: 1,
    code: codeVersion(),
    command: options.argv ?? null,
    inputs: { streams: [...options.streams], subject: options.subject ?? null, format: options.format },
    window: { from: describeBound(options.window.from), to: describeBound(options.window.to), streams: perStream },
    output: {
      file: options.out === undefined ? null : path.basename(options.out),
      events,
      commits,
      malformed: malformedCount,
      bytes,
      sha256,
    },
    malformed,
    createdAt: new Date().toISOString(),
  };
  const manifestFile = options.manifest ?? (options.out === undefined ? undefined : `${options.out}.manifest.json`);
  if (manifestFile !== undefined) await fs.writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Checks every stream exists; applies the subject filter to the streams it can match (an error when none). */
async function planStreams(
  reader: RangeReader,
  streams: readonly string[],
  subject: string | undefined,
): Promise<{ stream: string; subject: string | undefined }[]> {
  if (streams.length === 0) throw new AuditArgumentError('--stream is required (repeat it for several streams)');
  const plans: { stream: string; subject: string | undefined }[] = [];
  for (const stream of streams) {
    let subjects: string[];
    try {
      const state = await reader.streamState(stream);
      if (state === undefined) throw new AuditArgumentError(`--stream ${stream}: there is no such stream`);
      subjects = [...state.subjects];
    } catch (err) {
      if (err instanceof AuditArgumentError) throw err;
      throw new AuditArgumentError(`--stream ${stream}: there is no such stream`);
    }
    if (subject === undefined) plans.push({ stream, subject: undefined });
    else if (subjects.some((s) => subjectsOverlap(s, subject))) plans.push({ stream, subject });
  }
  if (plans.length === 0)
    throw new AuditArgumentError(`--subject ${subject} matches no subject of ${streams.join(', ')}`);
  return plans;
}
