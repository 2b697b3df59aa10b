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
import { commitTime, csvHeader, decodeRecords, toCsvLine, toJsonLine, type Malformed } from './records.ts';
import { writeJsonLinesThrough } from './jsonl-through.ts';
import { DigestingWriter } from './output.ts';
import { progressBar } from './progress.ts';
import { codeVersion, type CodeVersion } from './version.ts';
import { AuditArgumentError, describeBound, type Window } from './window.ts';
import { subjectsOverlap } from './subjects.ts';

export const FORMATS = ['jsonl', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

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
    readonly streams: readonly { stream: string; subject: string | null; firstSeq: number | null; lastSeq: number | null; commits: number }[];
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

export async function replay(reader: RangeReader, registry: EventRegistry, options: ReplayOptions): Promise<ReplayManifest> {
  const plans = await planStreams(reader, options.streams, options.subject);
  const writer = await DigestingWriter.open(options.out);
  const bar = progressBar('replay', options.progress ?? false);
  const keys = new Map<string, boolean>();
  const keyExists = options.keyExists ?? (async () => true);
  const malformed: Malformed[] = [];
  let malformedCount = 0;
  let events = 0;
  let commits = 0;
  const perStream: ReplayManifest['window']['streams'][number][] = [];
  const format = options.format === 'csv' ? toCsvLine : toJsonLine;
  if (options.format === 'csv') void writer.write(csvHeader());
  const noteMalformed = (m: Malformed) => {
    malformedCount++;
    if (malformed.length < MAX_LISTED_MALFORMED) malformed.push(m);
    options.onMalformed?.(m);
  };
  try {
    for (const { stream, subject } of plans) {
      let first: number | null = null;
      let last: number | null = null;
      let streamCommits = 0;
      await readWindow(
        reader,
        { stream, subject, window: options.window },
        (m) => {
          if (options.format === 'jsonl') {
            // Commits of current events without sealed data: their stored JSON written through.
            const through = writeJsonLinesThrough(m.data, { stream, seq: m.seq, subject: m.subject, time: commitTime(m) }, registry, writer);
            if (through !== undefined) {
              first ??= m.seq;
              last = m.seq;
              streamCommits++;
              events += through.events;
              bar.tick();
              return through.wait;
            }
          }
          const emit = (decoded: ReturnType<typeof decodeRecords>): Promise<void> | undefined => {
            first ??= m.seq;
            last = m.seq;
            streamCommits++;
            for (const bad of decoded.malformed) noteMalformed(bad);
            let text = '';
            for (const r of decoded.records) text += format(r);
            events += decoded.records.length;
            bar.tick();
            return text === '' ? undefined : writer.write(text);
          };
          const decoded = decodeRecords(m, stream, registry, (u) => keys.get(u));
          // Synchronous unless a data key's existence must be looked up or the output must drain.
          if (decoded.unknownKeys.length === 0) return emit(decoded);
          return (async () => {
            for (const u of decoded.unknownKeys) keys.set(u, await keyExists(u));
            await emit(decodeRecords(m, stream, registry, (u) => keys.get(u)));
          })();
        },
        (plan: ReadPlan) => bar.addTotal(plan.pending),
      );
      commits += streamCommits;
      perStream.push({ stream, subject: subject ?? null, firstSeq: first, lastSeq: last, commits: streamCommits });
    }
  } finally {
    bar.done();
  }
  const { sha256, bytes } = await writer.close();
  const manifest: ReplayManifest = {
    tool: 'guardyn replay',
    manifestVersion: 1,
    code: codeVersion(),
    command: options.argv ?? null,
    inputs: { streams: [...options.streams], subject: options.subject ?? null, format: options.format },
    window: { from: describeBound(options.window.from), to: describeBound(options.window.to), streams: perStream },
    output: { file: options.out === undefined ? null : path.basename(options.out), events, commits, malformed: malformedCount, bytes, sha256 },
    malformed,
    createdAt: new Date().toISOString(),
  };
  const manifestFile = options.manifest ?? (options.out === undefined ? undefined : `${options.out}.manifest.json`);
  if (manifestFile !== undefined) await fs.writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Checks every stream exists; applies the subject filter to the streams it can match (an error when none). */
async function planStreams(reader: RangeReader, streams: readonly string[], subject: string | undefined): Promise<{ stream: string; subject: string | undefined }[]> {
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
  if (plans.length === 0) throw new AuditArgumentError(`--subject ${subject} matches no subject of ${streams.join(', ')}`);
  return plans;
}
