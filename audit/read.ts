/**
 * Reads a window of one stream in order through the range reader
 * (streams/range-reader.ts): the one way replay, verify, checkpoints and
 * reports consume the log. A window (audit/window.ts: sequences or times) is
 * turned into the reader's range; the end of the read is fixed when it starts
 * (the stream's last sequence then), so a read always terminates even while
 * commits keep arriving.
 */
import type { RangeAnswer, RangeMessage, RangePlan, RangeReader } from '../streams/range-reader.ts';
import type { Window } from './window.ts';

export { StreamMissing, type RangeMessage, type RangeReader } from '../streams/range-reader.ts';

export interface ReadOptions {
  readonly stream: string;
  /** A subject filter (wildcards allowed); absent: the whole stream. */
  readonly subject?: string | undefined;
  readonly window?: Window | undefined;
  /** Deliver headers only (no bodies): checkpoints need only subject, sequence and hash. */
  readonly headersOnly?: boolean | undefined;
  /** Messages asked for ahead; default 1000. */
  readonly batch?: number | undefined;
}

export type ReadPlan = RangePlan;

/**
 * Calls `onMessage` for every message of the window, in stream order, and
 * resolves with the plan (what was asked for). `onMessage` may return a promise
 * (awaited before the next message); returning false (or a promise of false) ends the read.
 */
export function readWindow(
  reader: RangeReader,
  options: ReadOptions,
  onMessage: (m: RangeMessage) => RangeAnswer,
  onPlan?: (plan: ReadPlan) => void,
): Promise<ReadPlan> {
  const from = options.window?.from;
  const to = options.window?.to;
  return reader.read(
    {
      stream: options.stream,
      subject: options.subject,
      startSeq: from?.kind === 'seq' ? from.seq : undefined,
      startTimeMs: from?.kind === 'time' ? from.ms : undefined,
      endSeq: to?.kind === 'seq' ? to.seq : undefined,
      endTimeMs: to?.kind === 'time' ? to.ms : undefined,
      headersOnly: options.headersOnly,
      batch: options.batch,
    },
    onMessage,
    onPlan,
  );
}
