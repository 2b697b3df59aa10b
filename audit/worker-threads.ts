/**
 * Starts the audit tools' worker threads (replay's, audit/replay-pool.ts; verify's,
 * audit/verify-pool.ts): each worker module is TypeScript, so the thread registers tsx first, as
 * bin/guardyn.js does, then imports it (about half a second of CPU each). Resolves once every
 * worker has posted its first message (it is ready), and a worker that fails to start stops them
 * all and rejects; or at once, for a caller that hands work over while they start.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The audit tools' default worker threads: one per core beside the reading thread, 1 to 4. On a
 * quiet 2-core machine one worker beside the reader ran verify and replay faster than the reader
 * alone (decision 0390); on a 2-core machine busy with other work, `--threads 0` was faster.
 */
export const defaultAuditThreads = (cores = os.availableParallelism()): number => Math.max(1, Math.min(4, cores - 1));

export async function startWorkers(
  moduleUrl: string,
  /** Each worker's data, by its index. */
  workerData: (index: number) => unknown,
  threads: number,
  what: string,
  /** false: resolve at once, the workers still starting (the caller handles their 'ready', errors and exits). */
  waitReady = true,
): Promise<Worker[]> {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); })`;
  const workers = Array.from(
    { length: threads },
    (_, i) => new Worker(boot, { eval: true, workerData: workerData(i) }),
  );
  if (!waitReady) return workers;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const ready = () => {
              off();
              resolve();
            };
            const failed = (err: unknown) => {
              off();
              reject(
                err instanceof Error
                  ? err
                  : new Error(`a ${what} worker thread did not start (exit code ${String(err)})`),
              );
            };
            // Only these listeners go: the worker's own (which keep its port referenced) stay.
            const off = () => {
              w.off('message', ready);
              w.off('error', failed);
              w.off('exit', failed);
            };
            w.on('message', ready);
            w.on('error', failed);
            w.on('exit', failed);
          }),
      ),
    );
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  return workers;
}
