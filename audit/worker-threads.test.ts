/**
 * The audit tools' worker threads: how many by default, and their start both ways (bundled by
 * esbuild, and through tsx where esbuild is missing), with the errors a caller can act on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAuditThreads, startWorkers, type WorkerEntry } from './worker-threads.ts';

const replayEntry = (registryModule: string): WorkerEntry => ({
  module: new URL('./replay-worker.ts', import.meta.url).href,
  serve: { fn: 'serveReplay', arg: { module: registryModule, export: 'goldenRegistry' } },
});
const golden = new URL('./golden-registry.ts', import.meta.url).href;

describe("the audit tools' default worker threads", () => {
  it('one per core beside the reading thread, 1 to 4', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 8, 64].map((cores) => defaultAuditThreads(cores)),
      [1, 1, 2, 3, 4, 4, 4, 4],
    );
  });
});

describe('starting the worker threads', () => {
  for (const load of ['bundled', 'tsx'] as const) {
    it(`${load}: the workers start, each is served with the registry and says it is ready`, async () => {
      const workers = await startWorkers(replayEntry(golden), () => ({ format: 'jsonl' }), 2, 'replay', { load });
      try {
        assert.equal(workers.length, 2);
        // A batch of no commits comes back rendered: the worker serves with its registry.
        const answer = new Promise<{ id: number; out: Uint8Array }>((resolve) => workers[0]!.once('message', resolve));
        workers[0]!.postMessage({
          id: 7,
          stream: 'MESSAGES',
          seqs: new Float64Array(0),
          times: new Float64Array(0),
          subjects: [],
          data: new Uint8Array(0),
          ends: new Int32Array(0),
          keys: [],
          spare: undefined,
        });
        const r = await answer;
        assert.equal(r.id, 7);
        assert.equal(r.out.length, 0);
      } finally {
        await Promise.all(workers.map((w) => w.terminate()));
      }
    });

    it(`${load}: a registry module that is not there fails the start with its name`, async () => {
      await assert.rejects(
        startWorkers(replayEntry(new URL('./no-such-module.ts', import.meta.url).href), () => ({}), 1, 'replay', {
          load,
        }),
        /no-such-module/,
      );
    });
  }

  it('an export name that is not an identifier is refused', async () => {
    await assert.rejects(
      startWorkers(
        { module: replayEntry(golden).module, serve: { fn: 'serveReplay', arg: { module: golden, export: 'a; b' } } },
        () => ({}),
        1,
        'replay',
      ),
      /must be an identifier/,
    );
  });
});
