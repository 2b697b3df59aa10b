/**
 * One stored commit → its replay lines (JSON Lines or CSV) in a sink: the
 * through path for current commits (audit/jsonl-through.ts), the general path
 * (audit/records.ts) for everything else. The same function runs in the
 * reading thread and in replay's worker threads (audit/replay-pool.ts), so
 * both write the same bytes.
 */
import type { EventRegistry } from '../streams/events/registry.ts';
import { commitTime, decodeRecords, toCsvLine, toJsonLine, type KeyStatus, type Malformed } from './records.ts';
import { writeJsonLinesThrough } from './jsonl-through.ts';
import type { LineSink } from './output.ts';

export const FORMATS = ['jsonl', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** What was written for a commit; with `unknownKeys`, nothing was: resolve them and render again. */
export interface Rendered {
  readonly events: number;
  readonly malformed: readonly Malformed[];
  readonly unknownKeys: readonly string[];
  /** The sink's answer: a promise while it must drain. */
  readonly wait: Promise<void> | undefined;
}

const NONE: readonly never[] = [];

export function renderCommit(
  m: { readonly seq: number; readonly subject: string; readonly timeMs: number; readonly data: Uint8Array },
  stream: string,
  registry: EventRegistry,
  format: Format,
  keyStatus: KeyStatus,
  sink: LineSink,
): Rendered {
  if (format === 'jsonl') {
    // Commits of current events without sealed data: their stored JSON written through.
    const through = writeJsonLinesThrough(
      m.data,
      { stream, seq: m.seq, subject: m.subject, time: commitTime(m) },
      registry,
      sink,
    );
    if (through !== undefined)
      return { events: through.events, malformed: NONE, unknownKeys: NONE, wait: through.wait };
  }
  const decoded = decodeRecords(m, stream, registry, keyStatus);
  if (decoded.unknownKeys.length > 0)
    return { events: 0, malformed: NONE, unknownKeys: decoded.unknownKeys, wait: undefined };
  const line = format === 'csv' ? toCsvLine : toJsonLine;
  let text = '';
  for (const r of decoded.records) text += line(r);
  return {
    events: decoded.records.length,
    malformed: decoded.malformed,
    unknownKeys: NONE,
    wait: text === '' ? undefined : sink.write(text),
  };
}
