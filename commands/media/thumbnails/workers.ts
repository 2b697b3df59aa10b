/**
 * A small pool of worker threads that make thumbnails (./worker.ts),
 * so that decoding an image never runs on the event loop of the process.
 *
 * Each worker runs under `resourceLimits` (its JavaScript heap is capped at
 * `memoryMb`; a worker over it is ended by Node and reported here as
 * `out-of-memory`), and a job not answered within `timeoutMs` terminates its
 * worker (`timeout`). A worker that crashes is replaced; the process goes on.
 * Pixel buffers live outside the JavaScript heap, so the bound on them is the
 * pixel budget checked against the image header before a job is given here.
 *
 * Workers are started on demand (at most `maxWorkers`), kept for the next
 * job, and never keep the process alive; further jobs wait their turn. A
 * request holds its source image in memory while it waits, so `admit` lets at
 * most `maxWaiting` (default 4 per worker) wait beside the running ones and
 * refuses more with `ThumbnailsBusy`.
 */
import { Worker } from 'node:worker_threads';
import { left, right, type Either } from 'fp-ts/lib/Either.js';

export interface ThumbnailWorkerLimits {
  /** Workers at most (jobs beyond wait). */
  readonly maxWorkers: number;
  /** JavaScript heap of a worker (old generation), MiB. */
  readonly memoryMb: number;
  /** Longest a job may take, milliseconds (the worker is terminated then). */
  readonly timeoutMs: number;
  /** Requests that may wait for a worker (default 4 per worker); `admit` refuses more. */
  readonly maxWaiting?: number;
}

/** More thumbnail requests than the workers and their queue take. */
export class ThumbnailsBusy extends Error {
  override readonly name = 'ThumbnailsBusy';
  constructor() {
    super('the server is busy making other thumbnails: try again in a moment');
  }
}

export interface ThumbnailJob {
  readonly id: number;
  readonly bytes: Uint8Array;
  /** The size the image header declares (the decoded picture must have it). */
  readonly width: number;
  readonly height: number;
  readonly maxWidth: number;
  readonly maxHeight: number;
  readonly format: 'jpeg' | 'png';
  readonly quality: number;
  /** Memory the JPEG decoder may take, MiB. */
  readonly memoryMb: number;
}

export interface Thumbnail {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface ThumbnailFailure {
  readonly kind: 'undecodable' | 'header-lies' | 'timeout' | 'out-of-memory' | 'crashed';
  readonly message: string;
}

export type WorkerReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly bytes: Uint8Array;
      readonly width: number;
      readonly height: number;
    }
  | { readonly id: number; readonly ok: false; readonly kind: 'undecodable' | 'header-lies'; readonly message: string };

/** Loads the TypeScript worker through tsx in the new thread (the process's loader hooks do not reach workers). */
function bootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

export class ThumbnailWorkers {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((w: Worker | Error) => void)[] = [];
  private readonly all = new Set<Worker>();
  private starting = 0;
  private nextId = 1;
  private closed = false;
  private admitted = 0;

  constructor(readonly limits: ThumbnailWorkerLimits) {}

  /** Runs `work` (reading the source, then `make`) if the workers and their queue have room; else throws ThumbnailsBusy. */
  async admit<T>(work: () => Promise<T>): Promise<T> {
    if (this.admitted >= this.limits.maxWorkers + (this.limits.maxWaiting ?? 4 * this.limits.maxWorkers))
      throw new ThumbnailsBusy();
    this.admitted++;
    try {
      return await work();
    } finally {
      this.admitted--;
    }
  }

  /** Makes a thumbnail of `job.bytes` in a worker, within the limits. */
  async make(job: Omit<ThumbnailJob, 'id' | 'memoryMb'>): Promise<Either<ThumbnailFailure, Thumbnail>> {
    const worker = await this.acquire();
    if (worker instanceof Error) return left(this.failureOf(worker, 'the image worker did not start'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (result: Either<ThumbnailFailure, Thumbnail>, healthy: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (healthy) this.release(worker);
        else this.discard(worker);
        resolve(result);
      };
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== id) return;
        done(
          reply.ok
            ? right({ bytes: reply.bytes, width: reply.width, height: reply.height })
            : left({ kind: reply.kind, message: reply.message }),
          true,
        );
      };
      const onError = (err: Error) => done(left(this.failureOf(err, 'the image worker failed')), false);
      const onExit = () => done(left({ kind: 'crashed', message: 'the image worker stopped' }), false);
      const timer = setTimeout(() => {
        done(
          left({ kind: 'timeout', message: `decoding the image took longer than ${this.limits.timeoutMs} ms` }),
          false,
        );
      }, this.limits.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const bytes = new Uint8Array(job.bytes); // a copy of its own (a Buffer may share its memory), handed over without another copy
      worker.postMessage({ ...job, id, bytes, memoryMb: this.limits.memoryMb } satisfies ThumbnailJob, [bytes.buffer]);
    });
  }

  private failureOf(err: Error & { code?: string }, what: string): ThumbnailFailure {
    return err.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? {
          kind: 'out-of-memory',
          message: `decoding the image needs more than the ${this.limits.memoryMb} MiB an image worker may use`,
        }
      : { kind: 'crashed', message: `${what}: ${err.message}` };
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w(new Error('the thumbnail workers are closed'));
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private acquire(): Promise<Worker | Error> {
    if (this.closed) return Promise.resolve(new Error('the thumbnail workers are closed'));
    const ready = this.idle.pop();
    if (ready !== undefined) {
      ready.ref();
      return Promise.resolve(ready);
    }
    const queued = new Promise<Worker | Error>((resolve) => this.waiting.push(resolve));
    this.grow();
    return queued;
  }

  /** Starts a worker when jobs wait and the pool has room; it serves the first waiting job once loaded. */
  private grow(): void {
    if (this.closed || this.waiting.length <= this.starting || this.all.size >= this.limits.maxWorkers) return;
    this.starting++;
    const worker = new Worker(bootstrap(), {
      eval: true,
      resourceLimits: {
        maxOldGenerationSizeMb: this.limits.memoryMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.floor(this.limits.memoryMb / 8))),
      },
    });
    this.all.add(worker);
    worker.on('error', () => {}); // reported to the job that runs (or the start that waits); never an uncaught error of the process
    const failed = (err: Error) => {
      this.starting--;
      this.all.delete(worker);
      this.waiting.shift()?.(err);
      void worker.terminate();
    };
    const onError = (err: Error) => failed(err);
    const onExit = () => failed(new Error('the worker stopped while loading'));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (m: unknown) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      this.starting--;
      if (m !== 'ready') {
        this.all.delete(worker);
        void worker.terminate();
        this.waiting.shift()?.(new Error('the worker answered before it was ready'));
        return;
      }
      this.release(worker);
    });
  }

  private release(worker: Worker): void {
    if (this.closed) {
      void worker.terminate();
      return;
    }
    const next = this.waiting.shift();
    if (next !== undefined) {
      next(worker);
      return;
    }
    worker.unref();
    this.idle.push(worker);
  }

  private discard(worker: Worker): void {
    this.all.delete(worker);
    void worker.terminate();
    this.grow();
  }
}
