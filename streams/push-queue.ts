/**
 * The NOTIFICATIONS work queue as a port (streams/push-jobs.ts says what a job
 * is): the push projection enqueues jobs, the push worker consumes them through
 * one durable consumer, `push_worker`, on `notifications.push.>` that every
 * worker instance shares (each job goes to one of them), and parks the ones it
 * gives up on, with their reason, on `notifications.parked.<userId>.<deviceId>`.
 *
 * A delivery is settled once: `ack` (done; the work queue drops it), `nak`
 * with a delay (JetStream delivers it again after the delay) or `term` (never
 * again). One unsettled for the ack wait (60 s) is delivered again.
 */
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerMessages,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { EventLog } from './log.ts';
import { PULL_EXPIRES_MS } from './pull.ts';
import { decodeJson, encodeJson, ParkedPush, PushJob } from './push-jobs.ts';
import { STREAMS, subjects } from './subjects.ts';

export const PUSH_WORKER_DURABLE = 'push_worker';
export const PUSH_SUBJECTS = 'notifications.push.>';

/** One delivery of a job to this worker. */
export interface PushDelivery {
  readonly subject: string;
  /** The job, or why its message cannot be read as one. */
  readonly job: PushJob | string;
  /** Which delivery of the job this is (1: the first). */
  readonly attempt: number;
  ack(): void;
  /** Asks for the job again after `delayMs`. */
  nak(delayMs: number): void;
  /** Never again (an unreadable job). */
  term(reason: string): void;
}

export interface PushDeliveries extends AsyncIterable<PushDelivery> {
  /** Stops taking jobs; the iteration ends. */
  close(): Promise<void>;
}

export interface PushQueue {
  /** Queues jobs, each deduplicated by its job id. */
  enqueue(jobs: readonly PushJob[]): Promise<void>;
  /** Creates the shared durable consumer when missing and takes jobs, at most `max` unsettled at once. */
  consume(max: number): Promise<PushDeliveries>;
  /** Records a job given up on (deduplicated by its job id). */
  park(parked: ParkedPush): Promise<void>;
  /** The last job parked for a device (or why it cannot be read), undefined when none is kept. */
  lastParked(userId: string, deviceId: string): Promise<ParkedPush | string | undefined>;
}

export function jetStreamPushQueue(log: EventLog): PushQueue {
  const { js, jsm } = log;
  return {
    async enqueue(jobs) {
      await Promise.all(
        jobs.map((job) => js.publish(subjects.push(job.userId, job.deviceId), encodeJson(job), { msgID: job.jobId })),
      );
    },

    async consume(max) {
      try {
        await jsm.consumers.info(STREAMS.notifications, PUSH_WORKER_DURABLE);
      } catch (err) {
        if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
        await jsm.consumers.add(STREAMS.notifications, {
          durable_name: PUSH_WORKER_DURABLE,
          ack_policy: AckPolicy.Explicit,
          ack_wait: nanos(60_000),
          deliver_policy: DeliverPolicy.All,
          filter_subject: PUSH_SUBJECTS,
          max_deliver: -1,
          max_ack_pending: 1000,
          description: 'Guardyn push worker',
        });
      }
      const consumer = await js.consumers.get(STREAMS.notifications, PUSH_WORKER_DURABLE);
      const messages: ConsumerMessages = await consumer.consume({ max_messages: max, expires: PULL_EXPIRES_MS });
      return {
        async *[Symbol.asyncIterator]() {
          for await (const m of messages) {
            yield {
              subject: m.subject,
              job: decodeJson(PushJob, m.data),
              attempt: m.info.deliveryCount,
              ack: () => m.ack(),
              nak: (delayMs) => m.nak(delayMs),
              term: (reason) => m.term(reason),
            };
          }
        },
        close: async () => {
          await messages.close().catch(() => undefined);
        },
      };
    },

    async park(parked) {
      const { job } = parked;
      await js.publish(subjects.pushParked(job.userId, job.deviceId), encodeJson(parked), {
        msgID: `parked-${job.jobId}`,
      });
    },

    async lastParked(userId, deviceId) {
      const m = await jsm.streams.getMessage(STREAMS.notifications, {
        last_by_subj: subjects.pushParked(userId, deviceId),
      });
      return m ? decodeJson(ParkedPush, m.data) : undefined;
    },
  };
}
