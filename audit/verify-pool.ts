/**
 * Verify over worker threads: the reading thread only reads. It copies each commit (its subject,
 * header block and body, as delivered) into a batch, and hands each full batch to every worker:
 * worker 0 gets the batch itself (transferred, not copied), the others a copy each. Each worker
 * checks the hash chains of the subjects it owns (audit/chain-check.ts ownerOf: a chain is checked
 * whole, in stream order, by one worker); worker 0 also keeps the checkpoints' range digests. At
 * most IN_FLIGHT batches wait for a worker (IN_FLIGHT_STARTING, about 48 MiB, while it starts: the
 * read goes on during the workers' start); beyond that the read waits (the range reader holds the
 * next message back). At a stream's end the workers' findings are merged into the one report
 * verify gives with no worker (audit/verify.ts).
 *
 * Batches are not shared memory: V8 copies out of a SharedArrayBuffer several times slower than
 * out of a buffer of its own, and the chain hash copies every body once.
 */
import type { Worker } from 'node:worker_threads';
import type { CheckpointRange, StreamBreak } from './chain-check.ts';
import { startWorkers } from './worker-threads.ts';

/** Bytes of commits per batch; a commit larger than BIG_COMMIT goes to the workers on its own. */
export const BATCH_BYTES = 1 << 20;
export const BIG_COMMIT = 64 * 1024;
/** Commits per batch at most. */
export const BATCH_COMMITS = 4096;
/** Batches handed to a worker and not yet done, at most; more while it starts (its start is hidden behind the read). */
const IN_FLIGHT = 4;
const IN_FLIGHT_STARTING = 48;

export interface VerifyWorkerData {
  readonly index: number;
  readonly workers: number;
  readonly prevHeader: string;
  readonly hashHeader: string;
  readonly maxBreaks: number;
}

export type ToWorker =
  | { readonly t: 'begin'; readonly checkpoints: readonly CheckpointRange[]; readonly windowFrom: boolean }
  | {
      readonly t: 'batch';
      /** Subject then raw message, commit after commit. */
      readonly data: Uint8Array;
      readonly seqs: Float64Array;
      /** Per commit: subject length, raw length, body start. */
      readonly lens: Int32Array;
      readonly count: number;
    }
  | {
      readonly t: 'one';
      readonly seq: number;
      readonly subject: string;
      readonly raw: Uint8Array;
      readonly bodyStart: number;
    }
  | { readonly t: 'end'; readonly endSeq: number; readonly windowOpenEnded: boolean };

export interface WorkerFindings {
  readonly anchored: number;
  readonly checked: number;
  readonly outside: number;
  /** The worker's first breaks (at most maxBreaks), in the order found. */
  readonly breaks: readonly StreamBreak[];
  /** Breaks beyond those. */
  readonly more: number;
}

export type FromWorker = 'ready' | { readonly t: 'done' } | ({ readonly t: 'result' } & WorkerFindings);

export class VerifyPool {
  private count = 0;
  private used = 0;
  private buf = Buffer.allocUnsafe(BATCH_BYTES);
  private seqs = new Float64Array(BATCH_COMMITS);
  private lens = new Int32Array(3 * BATCH_COMMITS);
  /** Per worker: batches handed to it and not done yet, and the most it may have (more until it is ready). */
  private readonly pending: number[];
  private readonly limit: number[];
  /** The read waiting for the workers to catch up. */
  private waiter: { resolve: () => void; reject: (err: unknown) => void } | undefined;
  private results: WorkerFindings[] = [];
  /** The stream's end waiting for every worker's findings. */
  private ending: { resolve: (r: WorkerFindings[]) => void; reject: (err: unknown) => void } | undefined;
  private failure: unknown;

  private constructor(private readonly workers: Worker[]) {
    this.pending = workers.map(() => 0);
    this.limit = workers.map(() => IN_FLIGHT_STARTING);
    workers.forEach((w, i) => {
      w.on('message', (m: FromWorker) => {
        if (m === 'ready') this.limit[i] = IN_FLIGHT;
        else if (m.t === 'done') this.done(i);
        else this.result(m);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a verify worker thread stopped (exit code ${code})`));
      });
    });
  }

  /** Starts `threads` workers: work can be handed to them at once (it waits in their queues while they start). */
  static async start(threads: number, headers: { prev: string; hash: string }, maxBreaks: number): Promise<VerifyPool> {
    const url = new URL('./verify-worker.ts', import.meta.url).href;
    const data = (index: number): VerifyWorkerData => ({
      index,
      workers: threads,
      prevHeader: headers.prev,
      hashHeader: headers.hash,
      maxBreaks,
    });
    return new VerifyPool(await startWorkers({ module: url }, data, threads, 'verify', { waitReady: false }));
  }

  /** A stream's read starts: the checkpoints go to worker 0, which keeps the range digests. */
  begin(checkpoints: readonly CheckpointRange[], windowFrom: boolean): void {
    for (let i = 0; i < this.workers.length; i++)
      this.workers[i]!.postMessage({
        t: 'begin',
        checkpoints: i === 0 ? checkpoints : [],
        windowFrom,
      } satisfies ToWorker);
  }

  /** One commit as delivered; a promise while a worker is as far behind as it may be (the read waits for it). */
  add(seq: number, subject: string, raw: Buffer, bodyStart: number): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    if (subject.length * 3 + raw.length > BIG_COMMIT) {
      if (this.count > 0) this.dispatch();
      const one: ToWorker = { t: 'one', seq, subject, raw: Uint8Array.from(raw), bodyStart };
      for (const w of this.workers) w.postMessage(one);
      return this.room();
    }
    const buf = this.buf;
    const n = this.count;
    const subjectLength = buf.write(subject, this.used, 'utf8');
    raw.copy(buf, this.used + subjectLength);
    this.used += subjectLength + raw.length;
    this.seqs[n] = seq;
    this.lens[3 * n] = subjectLength;
    this.lens[3 * n + 1] = raw.length;
    this.lens[3 * n + 2] = bodyStart;
    this.count = n + 1;
    if (this.count === BATCH_COMMITS || this.used > BATCH_BYTES - BIG_COMMIT) {
      this.dispatch();
      return this.room();
    }
    return undefined;
  }

  /** The stream's read ended at `endSeq`: every worker's findings, once they are done. */
  async end(endSeq: number, windowOpenEnded: boolean): Promise<WorkerFindings[]> {
    if (this.failure !== undefined) throw this.failure;
    if (this.count > 0) this.dispatch();
    const all = new Promise<WorkerFindings[]>((resolve, reject) => {
      this.ending = { resolve, reject };
    });
    for (const w of this.workers) w.postMessage({ t: 'end', endSeq, windowOpenEnded } satisfies ToWorker);
    return all;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Hands the batch to every worker (worker 0 takes it, the others a copy) and starts a new one. */
  private dispatch(): void {
    const count = this.count;
    const data = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.used);
    const seqs = this.seqs.subarray(0, count);
    const lens = this.lens.subarray(0, 3 * count);
    for (let i = this.workers.length - 1; i >= 0; i--) {
      const batch: ToWorker =
        i === 0
          ? { t: 'batch', data, seqs, lens, count }
          : { t: 'batch', data: data.slice(), seqs: seqs.slice(), lens: lens.slice(), count };
      this.workers[i]!.postMessage(batch, [
        batch.data.buffer as ArrayBuffer,
        batch.seqs.buffer as ArrayBuffer,
        batch.lens.buffer as ArrayBuffer,
      ]);
      this.pending[i]!++;
    }
    this.buf = Buffer.allocUnsafe(BATCH_BYTES);
    this.seqs = new Float64Array(BATCH_COMMITS);
    this.lens = new Int32Array(3 * BATCH_COMMITS);
    this.count = 0;
    this.used = 0;
  }

  /** Whether some worker has as many batches to do as it may have. */
  private full(): boolean {
    for (let i = 0; i < this.pending.length; i++) if (this.pending[i]! >= this.limit[i]!) return true;
    return false;
  }

  /** A promise while some worker has as many batches to do as it may have. */
  private room(): Promise<void> | undefined {
    if (!this.full()) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private done(worker: number): void {
    this.pending[worker]!--;
    if (this.waiter !== undefined && !this.full()) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve();
    }
  }

  private result(r: WorkerFindings): void {
    this.results.push(r);
    if (this.results.length < this.workers.length) return;
    const all = this.results;
    this.results = [];
    const ending = this.ending;
    this.ending = undefined;
    ending?.resolve(all);
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    const { waiter, ending } = this;
    this.waiter = undefined;
    this.ending = undefined;
    waiter?.reject(err);
    ending?.reject(err);
  }
}
