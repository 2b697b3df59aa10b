/**
 * A replay worker thread (audit/replay-pool.ts): renders batches of commits
 * into bytes with the same code as the reading thread (audit/render.ts) and
 * hands them back. A commit whose sealed data needs a data key's status not yet
 * known is left to the reading thread (which looks it up), marked by end -1.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventRegistry } from '../streams/events/registry.ts';
import { renderCommit, type Format } from './render.ts';
import { ByteCollector } from './output.ts';
import type { Malformed } from './records.ts';

export interface ReplayWorkerData {
  readonly format: Format;
}

export interface CommitBatch {
  readonly id: number;
  readonly stream: string;
  readonly seqs: Float64Array;
  readonly times: Float64Array;
  readonly subjects: readonly string[];
  /** The bodies one after the other; `ends[i]` is where body i ends. */
  readonly data: Uint8Array;
  readonly ends: Int32Array;
  /** Data keys' status learnt since the previous batch. */
  readonly keys: readonly (readonly [string, boolean])[];
  /** An output buffer handed back for reuse (transferred), or undefined. */
  readonly spare: ArrayBuffer | undefined;
}

export interface RenderedBatch {
  readonly id: number;
  readonly out: Uint8Array;
  /** Where commit i's lines end in `out`; -1: left to the reading thread. */
  readonly ends: Int32Array;
  readonly events: Int32Array;
  readonly malformed: readonly (readonly [number, Malformed])[];
  /**
   * The batch's bodies handed back (transferred, not copied): read again for a commit left to the
   * reading thread, and reused for a later batch.
   */
  readonly data: Uint8Array;
}

/** Serves the thread with `registry` (audit/worker-threads.ts calls it, the registry named by the reading thread). */
export function serveReplay(registry: EventRegistry): void {
  const port = parentPort;
  if (port === null) throw new Error('serveReplay runs in a replay worker thread');
  const { format } = workerData as ReplayWorkerData;
  const keys = new Map<string, boolean>();
  const keyStatus = (u: string) => keys.get(u);
  // Its buffer goes with each batch's output (transferred); a buffer the reading thread handed back
  // takes its place (a new one until the first comes back).
  const sink = new ByteCollector(1 << 20);
  const spares: ArrayBuffer[] = [];
  port.on('message', (b: CommitBatch) => {
    for (const [u, v] of b.keys) keys.set(u, v);
    if (b.spare !== undefined) spares.push(b.spare);
    const n = b.seqs.length;
    const ends = new Int32Array(n);
    const events = new Int32Array(n);
    const malformed: [number, Malformed][] = [];
    const bytes = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    let start = 0;
    for (let i = 0; i < n; i++) {
      const end = b.ends[i]!;
      const r = renderCommit(
        { seq: b.seqs[i]!, subject: b.subjects[i]!, timeMs: b.times[i]!, data: bytes.subarray(start, end) },
        b.stream,
        registry,
        format,
        keyStatus,
        sink,
      );
      start = end;
      if (r.unknownKeys.length > 0) {
        ends[i] = -1;
      } else {
        ends[i] = sink.length;
        events[i] = r.events;
        for (const x of r.malformed) malformed.push([i, x]);
      }
    }
    const out = sink.take(spares.pop());
    const result: RenderedBatch = { id: b.id, out, ends, events, malformed, data: b.data };
    port.postMessage(result, [out.buffer as ArrayBuffer, b.data.buffer as ArrayBuffer]);
  });
  port.postMessage('ready');
}
