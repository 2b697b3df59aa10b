/**
 * Replay over worker threads: the reading thread copies each commit's body
 * into a batch (sequence ranges of the stream, in order), hands batches to the
 * workers in turn, and writes their bytes back in stream order, so the output,
 * and so its digest, is the same as with one thread. Decoding, upcasting and
 * formatting (most of replay's CPU) run in the workers; the reading thread
 * keeps the NATS client, the copies, the ordering, the file and the SHA-256.
 *
 * A commit a worker leaves (sealed data whose user's key status is not known
 * yet) is rendered by the reading thread in its place, after the look-up; the
 * statuses learnt go to the workers with the next batches.
 */
import type { Worker } from 'node:worker_threads';
import type { Malformed } from './records.ts';
import type { Format } from './render.ts';
import { ByteCollector, type DigestingWriter } from './output.ts';
import type { CommitBatch, RenderedBatch, ReplayWorkerData } from './replay-worker.ts';
import { startWorkers, type ModuleExport } from './worker-threads.ts';

/** Where the workers find the event registry: a module's export (functions cannot be sent to a thread). */
export type RegistryRef = ModuleExport;

export const DEFAULT_REGISTRY: RegistryRef = {
  module: new URL('../streams/events/index.ts', import.meta.url).href,
  export: 'eventRegistry',
};

export interface PooledCommit {
  readonly seq: number;
  readonly subject: string;
  readonly timeMs: number;
  readonly data: Uint8Array;
}

/** What the reading thread does with each commit, in stream order. */
export interface PoolHandlers {
  /** A commit a worker rendered (its bytes are written already). */
  rendered(seq: number, events: number, malformed: readonly Malformed[]): void;
  /** A commit left to the reading thread: render it now (it may look keys up). */
  renderHere(commit: PooledCommit): Promise<void> | void;
}

const NONE: readonly never[] = [];

/** Commits per batch (fewer when the bodies reach BATCH_BYTES). */
const BATCH_COMMITS = 512;
const BATCH_BYTES = 512 * 1024;
/** Batches dispatched and not yet written while a worker starts (about 1 MiB each with their output). */
const BATCHES_STARTING = 48;

interface InFlight {
  readonly stream: string;
  readonly seqs: Float64Array;
  readonly times: Float64Array;
  readonly subjects: string[];
  readonly ends: Int32Array;
  readonly result: Promise<RenderedBatch>;
}

export class ReplayPool {
  private nextWorker = 0;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: RenderedBatch) => void; reject: (e: unknown) => void }>();
  private failure: unknown;
  private stream = '';
  private seqs: number[] = [];
  private times: number[] = [];
  private subjects: string[] = [];
  private ends: number[] = [];
  private body = new ByteCollector(BATCH_BYTES + 64 * 1024);
  /** Batches dispatched and not yet written, oldest first. */
  private readonly inFlight: InFlight[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly learnt: [string, boolean][] = [];
  /**
   * Buffers that came back, to reuse: the bodies' (for the next batches) and the workers' output
   * (handed back to them with the next batches). A dropped large buffer is external memory that
   * the garbage collector answers with full collections (docs/adr/0391).
   */
  private readonly spareBodies: ArrayBuffer[] = [];
  private readonly spareOuts: ArrayBuffer[] = [];
  /** Workers not ready yet: the read goes on meanwhile, with up to BATCHES_STARTING batches waiting. */
  private starting: number;

  private constructor(
    private readonly workers: Worker[],
    private readonly writer: DigestingWriter,
    private readonly handlers: PoolHandlers,
  ) {
    this.starting = workers.length;
    for (const w of workers) {
      w.on('message', (r: RenderedBatch | 'ready') => {
        if (r === 'ready') {
          this.starting--;
          return;
        }
        const p = this.waiting.get(r.id);
        this.waiting.delete(r.id);
        p?.resolve(r);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a replay worker thread stopped (exit code ${code})`));
      });
    }
  }

  /** Starts `threads` workers: batches can be handed to them at once (they wait in their queues while the workers start). */
  static async start(
    threads: number,
    registry: RegistryRef,
    format: Format,
    writer: DigestingWriter,
    handlers: PoolHandlers,
  ): Promise<ReplayPool> {
    const url = new URL('./replay-worker.ts', import.meta.url).href;
    const data: ReplayWorkerData = { format };
    const entry = { module: url, serve: { fn: 'serveReplay', arg: registry } };
    const workers = await startWorkers(entry, () => data, threads, 'replay', { waitReady: false });
    return new ReplayPool(workers, writer, handlers);
  }

  /** A data key's status learnt by the reading thread: the workers get it with the next batch. */
  learn(userId: string, exists: boolean): void {
    this.learnt.push([userId, exists]);
  }

  /**
   * Adds a commit of `stream` (its body: `raw` from `bodyStart`, as delivered); a promise while the
   * workers are a full round ahead of the writing.
   */
  add(
    stream: string,
    c: {
      readonly seq: number;
      readonly subject: string;
      readonly timeMs: number;
      readonly raw: Buffer;
      readonly bodyStart: number;
    },
  ): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    if (stream !== this.stream && this.seqs.length > 0) this.dispatch();
    this.stream = stream;
    this.seqs.push(c.seq);
    this.times.push(c.timeMs);
    this.subjects.push(c.subject);
    this.body.writeBytes(c.raw, c.bodyStart, c.raw.length);
    this.ends.push(this.body.length);
    if (this.seqs.length >= BATCH_COMMITS || this.body.length >= BATCH_BYTES) {
      this.dispatch();
      // Once the workers run, the batches read while they started are written down to the running
      // limit (not one for one), so that memory goes back to a round of batches.
      const limit = this.starting > 0 ? BATCHES_STARTING : 2 * this.workers.length;
      if (this.inFlight.length >= limit) {
        while (this.inFlight.length >= limit) void this.drainOldest();
        return this.writing;
      }
    }
    return undefined;
  }

  /** Dispatches what is batched and waits until everything is written. */
  async flush(): Promise<void> {
    if (this.seqs.length > 0) this.dispatch();
    while (this.inFlight.length > 0) await this.drainOldest();
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    if (this.failure !== undefined) throw this.failure;
    const id = this.nextId++;
    // Transferred, and handed back with the batch's output.
    const data = this.body.take(this.spareBodies.pop());
    const spare = this.spareOuts.pop();
    const batch: CommitBatch = {
      id,
      stream: this.stream,
      seqs: Float64Array.from(this.seqs),
      times: Float64Array.from(this.times),
      subjects: this.subjects,
      data,
      ends: Int32Array.from(this.ends),
      keys: this.learnt.splice(0),
      spare,
    };
    const result = new Promise<RenderedBatch>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    result.catch(() => undefined);
    const worker = this.workers[this.nextWorker]!;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    worker.postMessage(batch, spare === undefined ? [data.buffer as ArrayBuffer] : [data.buffer as ArrayBuffer, spare]);
    this.inFlight.push({
      stream: this.stream,
      seqs: batch.seqs,
      times: batch.times,
      subjects: this.subjects,
      ends: batch.ends,
      result,
    });
    this.seqs = [];
    this.times = [];
    this.subjects = [];
    this.ends = [];
  }

  /** Writes the oldest batch once its worker is done (after everything before it). */
  private drainOldest(): Promise<void> {
    const b = this.inFlight.shift();
    if (b === undefined) return this.writing;
    this.writing = this.writing.then(async () => this.write(b, await b.result));
    return this.writing;
  }

  private async write(b: InFlight, r: RenderedBatch): Promise<void> {
    let from = 0;
    let m = 0;
    for (let i = 0; i < b.seqs.length; i++) {
      const end = r.ends[i]!;
      if (end >= 0) {
        let malformed: readonly Malformed[] = NONE;
        if (m < r.malformed.length && r.malformed[m]![0] === i) {
          const list: Malformed[] = [];
          while (m < r.malformed.length && r.malformed[m]![0] === i) list.push(r.malformed[m++]![1]);
          malformed = list;
        }
        this.handlers.rendered(b.seqs[i]!, r.events[i]!, malformed);
        continue;
      }
      // Left to this thread: the worker's bytes before it first, then its own lines.
      let upTo = from;
      for (let j = i - 1; j >= 0; j--) {
        if (r.ends[j]! >= 0) {
          upTo = r.ends[j]!;
          break;
        }
      }
      if (upTo > from) await this.writer.writeBytes(r.out, from, upTo);
      from = upTo;
      const start = i === 0 ? 0 : b.ends[i - 1]!;
      await this.handlers.renderHere({
        seq: b.seqs[i]!,
        subject: b.subjects[i]!,
        timeMs: b.times[i]!,
        data: r.data.subarray(start, b.ends[i]!),
      });
    }
    // The worker's bytes are copied into the writer's chunks, so that their buffer goes back to a
    // worker at once (a copy costs less than the collections a dropped buffer brings).
    if (r.out.length > from) await this.writer.writeBytes(r.out, from, r.out.length);
    this.spareBodies.push(r.data.buffer as ArrayBuffer);
    this.spareOuts.push(r.out.buffer as ArrayBuffer);
    await this.writer.waiting();
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const p of this.waiting.values()) p.reject(err);
    this.waiting.clear();
  }
}
