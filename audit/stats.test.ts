/**
 * The audit statistics run as a periodic task (runtime/periodic-task.ts): one sample at a time,
 * a failed sample logged, and nothing sampled once stopped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { capturedLogger, LEVEL } from '../test/support/log-capture.ts';
import type { CheckpointWriter } from './checkpoints.ts';
import { StatsSampler } from './stats.ts';

/** A log that records the samples appended; `gate` holds an append open until released. */
function fakeLog() {
  const appended: { subject: string; sample: Record<string, unknown> }[] = [];
  const state = { fail: false, gate: undefined as Promise<void> | undefined };
  const log = {
    async streamState() {
      return { lastSeq: 10 };
    },
    async append(subject: string, data: string | Uint8Array) {
      if (state.fail) throw new Error('audit stream unavailable');
      await state.gate;
      appended.push({ subject, sample: JSON.parse(String(data)) as Record<string, unknown> });
      return 'appended' as const;
    },
  };
  return { log: log as unknown as CheckpointWriter, appended, state };
}

const views = [{ view: 'timeline', stream: 'MESSAGES', applied: async () => 7 }];

describe('audit statistics sampler', () => {
  it('appends a sample with the lag of each view', async () => {
    const { log, appended } = fakeLog();
    const sampler = new StatsSampler(log, views, 60_000, capturedLogger().logger);
    await sampler.start();
    await sampler.sample();
    await sampler.stop();
    assert.equal(appended.length, 1);
    assert.match(appended[0]!.subject, /^audit\.stats\./);
    assert.deepEqual(appended[0]!.sample['lag'], { timeline: 3 });
  });

  it('takes no sample once stopped', async () => {
    const { log, appended } = fakeLog();
    const sampler = new StatsSampler(log, views, 60_000, capturedLogger().logger);
    await sampler.start();
    await sampler.stop();
    await sampler.sample();
    assert.equal(appended.length, 0, 'a sample after stop() was written');
  });

  it('stop() waits for the sample being taken; a second sample() meanwhile joins it', async () => {
    const { log, appended, state } = fakeLog();
    let release = () => {};
    state.gate = new Promise<void>((r) => (release = r));
    const sampler = new StatsSampler(log, views, 60_000, capturedLogger().logger);
    await sampler.start();
    const first = sampler.sample();
    const second = sampler.sample();
    let stopped = false;
    const stopping = sampler.stop().then(() => (stopped = true));
    await turn();
    assert.equal(stopped, false);
    release();
    await Promise.all([first, second, stopping]);
    assert.equal(appended.length, 1, 'one sample for the two calls');
  });

  it('logs a failed sample and keeps going', async () => {
    const { log, appended, state } = fakeLog();
    const { logger, lines } = capturedLogger();
    const sampler = new StatsSampler(log, views, 60_000, logger);
    await sampler.start();
    state.fail = true;
    await sampler.sample();
    state.fail = false;
    await sampler.sample();
    await sampler.stop();
    await turn();
    const warned = lines.filter((l) => l['level'] === LEVEL.warn);
    assert.equal(warned.length, 1);
    assert.equal(warned[0]!['msg'], 'audit stats sample failed');
    assert.equal(warned[0]!['err'], 'audit stream unavailable');
    assert.equal(appended.length, 1);
  });
});
