/**
 * Chain checking spread over worker threads (`verify --threads N`): the reading
 * thread only routes each link to the worker that owns its subject, in batches
 * with the bodies copied into one buffer; each worker runs verifyLinks over its
 * subjects in stream order. The breaks are the same as checking in one thread.
 */
import { Worker } from 'node:worker_threads';
import type { ChainBreak } from '../streams/hash-chain.ts';
import type { LinkBatch, WorkerResult } from './chain-worker.ts';

const BATCH = 1024;

class Pending {
  seqs: number[] = [];
  subjects: string[] = [];
  prevs: string[] = [];
  hashes: string[] = [];
  ends: number[] = [];
  bodies: Uint8Array[] = [];
  bytes = 0;
}

export class ChainPool {
  private readonly workers: Worker[];
  private readonly pending: Pending[];
  private readonly failed: Promise<never>;

  constructor(threads: number, private readonly anchoring: boolean) {
    const url = new URL('./chain-worker.ts', import.meta.url).href;
    // The workers load TypeScript through the same loader as this process: registered, then the module imported.
    const api = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`;
    this.workers = Array.from({ length: threads }, () => new Worker(boot, { eval: true }));
    this.pending = this.workers.map(() => new Pending());
    this.failed = new Promise<never>((_, reject) => {
      for (const w of this.workers) w.once('error', reject);
    });
    this.failed.catch(() => undefined);
  }

  private owner(subject: string): number {
    if (this.workers.length === 1) return 0;
    let h = 2166136261;
    for (let i = 0; i < subject.length; i++) h = Math.imul(h ^ subject.charCodeAt(i), 16777619);
    return (h >>> 0) % this.workers.length;
  }

  add(seq: number, subject: string, prev: string, hash: string, body: Uint8Array): void {
    const w = this.owner(subject);
    const p = this.pending[w]!;
    p.seqs.push(seq);
    p.subjects.push(subject);
    p.prevs.push(prev);
    p.hashes.push(hash);
    p.bodies.push(body);
    p.bytes += body.length;
    p.ends.push(p.bytes);
    if (p.seqs.length >= BATCH) this.send(w);
  }

  private send(w: number): void {
    const p = this.pending[w]!;
    if (p.seqs.length === 0) return;
    const all = Buffer.allocUnsafeSlow(p.bytes);
    let at = 0;
    for (const b of p.bodies) {
      all.set(b, at);
      at += b.length;
    }
    const batch: LinkBatch = {
      kind: 'links', anchoring: this.anchoring, seqs: p.seqs, subjects: p.subjects, prevs: p.prevs, hashes: p.hashes, ends: p.ends,
      bodies: all.buffer as ArrayBuffer,
    };
    this.workers[w]!.postMessage(batch, [batch.bodies]);
    this.pending[w] = new Pending();
  }

  /** Sends what is left, collects every worker's breaks, and ends the workers. */
  async finish(): Promise<{ breaks: ChainBreak[]; anchored: number }> {
    try {
      this.workers.forEach((_, w) => this.send(w));
      const results = await Promise.race([
        Promise.all(this.workers.map((worker) => new Promise<WorkerResult>((resolve) => {
          worker.once('message', (r: WorkerResult) => resolve(r));
          worker.postMessage({ kind: 'end' });
        }))),
        this.failed,
      ]);
      return { breaks: results.flatMap((r) => r.breaks), anchored: results.reduce((n, r) => n + r.anchored, 0) };
    } finally {
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
  }

  async abort(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
