import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { capturedLogger, LEVEL } from '../test/support/log-capture.ts';
import { PeriodicTask } from './periodic-task.ts';

/** A run that stays open until released, counting the runs started and those open at once. */
function gatedRuns() {
  const state = { started: 0, open: 0, maxOpen: 0, release: () => {} };
  const run = () => {
    state.started++;
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    return new Promise<void>((resolve) => {
      state.release = () => {
        state.open--;
        resolve();
      };
    });
  };
  return { state, run };
}

/** Lets the promise callbacks queued so far run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await turn();
}

describe('PeriodicTask', () => {
  it('runs the task every interval, never two runs at once', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const { state, run } = gatedRuns();
    const task = new PeriodicTask(run, { name: 'gated', intervalMs: 100, logger: capturedLogger().logger });
    task.start();
    assert.equal(state.started, 0, 'the first run is one interval away');
    t.mock.timers.tick(100);
    await settle();
    assert.equal(state.started, 1);
    t.mock.timers.tick(300); // three ticks due while the first run is still going
    await settle();
    assert.equal(state.started, 1, 'no tick starts while a run is going');
    state.release();
    await settle();
    t.mock.timers.tick(100);
    await settle();
    assert.equal(state.started, 2, 'the next tick runs once the previous run is over');
    assert.equal(state.maxOpen, 1);
    state.release();
    await task.stop();
  });

  it('tick() during a run waits for that run instead of starting another', async () => {
    const { state, run } = gatedRuns();
    const task = new PeriodicTask(run, { name: 'gated', intervalMs: 1000, logger: capturedLogger().logger });
    const first = task.tick();
    const second = task.tick();
    await settle();
    assert.equal(state.started, 1);
    let done = false;
    void second.then(() => (done = true));
    await settle();
    assert.equal(done, false, 'the second tick waits for the running one');
    state.release();
    await Promise.all([first, second]);
    assert.equal(state.started, 1);
  });

  it('stop() waits for the running tick, and nothing runs after it', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const { state, run } = gatedRuns();
    const task = new PeriodicTask(run, { name: 'gated', intervalMs: 100, logger: capturedLogger().logger });
    task.start();
    t.mock.timers.tick(100);
    await settle();
    assert.equal(state.started, 1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'stop() is still waiting for the running tick');
    state.release();
    await stopping;
    assert.equal(state.open, 0);
    t.mock.timers.tick(1000);
    await task.tick();
    await settle();
    assert.equal(state.started, 1, 'no run after stop()');
  });

  it('logs a run that fails, names the task, and runs again at the next tick', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const { logger, lines } = capturedLogger();
    let runs = 0;
    const task = new PeriodicTask(
      () => {
        runs++;
        if (runs === 1) throw new Error('store unavailable');
      },
      { name: 'audit checkpoints', intervalMs: 50, logger },
    );
    task.start();
    t.mock.timers.tick(50);
    await settle();
    const failed = lines.filter((l) => l['level'] === LEVEL.warn);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!['msg'], 'audit checkpoints failed');
    assert.equal(failed[0]!['task'], 'audit checkpoints');
    assert.equal(failed[0]!['err'], 'store unavailable');
    t.mock.timers.tick(50);
    await settle();
    assert.equal(runs, 2);
    await task.stop();
  });

  it('refuses an interval that is not a positive integer, naming the task', () => {
    const logger = capturedLogger().logger;
    for (const intervalMs of [0, -5, 1.5, Number.NaN])
      assert.throws(
        () => new PeriodicTask(() => {}, { name: 'sweep', intervalMs, logger }),
        (err: Error) => err instanceof RangeError && /periodic task sweep: intervalMs/.test(err.message),
      );
  });
});
