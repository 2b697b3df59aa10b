import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useEventLog } from '../test/support/event-log.ts';
import type { EventLog } from './log.ts';
import { jetStreamPushQueue, type PushDelivery, type PushQueue } from './push-queue.ts';
import type { PushJob } from './push-jobs.ts';
import { subjects } from './subjects.ts';

const job = (n: number): PushJob => ({
  jobId: `job-${n}`,
  userId: `user-${n}`,
  deviceId: 'dev',
  kind: 'message',
  conversationId: 'c',
  group: false,
  seq: n,
  at: n,
});

describe('the push work queue', () => {
  let log: EventLog;
  let queue: PushQueue;
  useEventLog((started) => {
    log = started.log;
    queue = jetStreamPushQueue(log);
  });

  it('hands each job out once per delivery: a repeated job id is one job, a nak brings it back as the next attempt, an unreadable one is terminated', async () => {
    await queue.enqueue([job(1), job(2)]);
    await queue.enqueue([job(1)]); // the same job id again
    await log.js.publish(subjects.push('user-9', 'dev'), Buffer.from('not a job'));
    const deliveries = await queue.consume(8);
    const seen: { id: string; attempt: number }[] = [];
    let unreadable: PushDelivery | undefined;
    const timer = setTimeout(() => void deliveries.close(), 15_000);
    for await (const d of deliveries) {
      if (typeof d.job === 'string') {
        unreadable = d;
        d.term('unreadable');
      } else {
        seen.push({ id: d.job.jobId, attempt: d.attempt });
        if (d.job.jobId === 'job-1' && d.attempt === 1) d.nak(50);
        else d.ack();
      }
      if (seen.length === 3 && unreadable !== undefined) break;
    }
    clearTimeout(timer);
    await deliveries.close();
    assert.deepEqual(seen, [
      { id: 'job-1', attempt: 1 },
      { id: 'job-2', attempt: 1 },
      { id: 'job-1', attempt: 2 },
    ]);
    assert.match(String(unreadable?.job), /not JSON/);
    assert.equal(unreadable?.subject, subjects.push('user-9', 'dev'));
  });

  it('keeps the last parked job of a device, readable by its device', async () => {
    assert.equal(await queue.lastParked('user-3', 'dev'), undefined);
    await queue.park({ job: job(3), reason: 'gave up', attempts: 5, at: 7 });
    await queue.park({ job: job(3), reason: 'gave up', attempts: 5, at: 7 }); // deduplicated by the job id
    assert.deepEqual(await queue.lastParked('user-3', 'dev'), { job: job(3), reason: 'gave up', attempts: 5, at: 7 });
  });
});
