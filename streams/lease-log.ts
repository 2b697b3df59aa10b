/**
 * The lease log: a small JetStream stream of its own (`PROJECTION_LEASES`, subjects `leases.>`,
 * one message per subject) where the projection workers record who holds which unit of work
 * and their heartbeats (projections/runtime/leases.ts decides what the records mean). Writes can be
 * conditional on the subject's last sequence, so of two racing writers one wins.
 */
import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { EventLog } from './log.ts';
import type { StreamReplicasSetting } from '../runtime/config.ts';
import { streamReplicas } from './replicas.ts';

export const LEASE_STREAM = 'PROJECTION_LEASES';

/** A write refused because the subject's last sequence is no longer the expected one. */
export class LeaseRaceLost extends Error {
  override readonly name = 'LeaseRaceLost';
  constructor(readonly subject: string) {
    super(`another writer changed ${subject} first`);
  }
}

export interface LeaseLog {
  /** Creates the stream if it is missing (kept a day), or gives it `replicas`. */
  ensure(replicas: number): Promise<void>;
  /** Writes `record` on `subject`; with `expected`, only if the subject's last sequence is still that (else LeaseRaceLost). Resolves the new sequence. */
  write(subject: string, record: unknown, timeoutMs: number, expected?: number): Promise<number>;
  /** The last record on `subject` (raw JSON value) with its sequence, or undefined. */
  last(subject: string): Promise<{ seq: number; value: unknown } | undefined>;
  /** The subjects with a record, among those matching `filter`. */
  subjects(filter: string): Promise<string[]>;
}

/** The lease log on the event log's connection. */
export function leaseLog(log: EventLog): LeaseLog {
  const { js, jsm } = log;
  return {
    async ensure(replicas) {
      try {
        const info = await jsm.streams.info(LEASE_STREAM);
        // The cluster grew (or shrank): follow the replicas the other streams get.
        if (info.config.num_replicas !== replicas)
          await jsm.streams.update(LEASE_STREAM, { ...info.config, num_replicas: replicas });
      } catch (err) {
        if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
        await jsm.streams
          .add({
            name: LEASE_STREAM,
            subjects: ['leases.>'],
            description: 'Guardyn projection leases: owners of view partitions, worker heartbeats',
            retention: RetentionPolicy.Limits,
            storage: StorageType.File,
            max_msgs_per_subject: 1,
            max_age: nanos(24 * 3600 * 1000),
            num_replicas: replicas,
          })
          .catch((e: unknown) => {
            // Another worker created it first.
            if (!((e instanceof JetStreamApiError && e.code === 10058) /* stream name already in use */)) throw e;
          });
      }
    },
    async write(subject, record, timeoutMs, expected) {
      try {
        const ack = await js.publish(subject, JSON.stringify(record), {
          expect: { streamName: LEASE_STREAM, ...(expected === undefined ? {} : { lastSubjectSequence: expected }) },
          timeout: timeoutMs,
        });
        return ack.seq;
      } catch (err) {
        if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence)
          throw new LeaseRaceLost(subject);
        throw err;
      }
    },
    async last(subject) {
      try {
        const m = await jsm.streams.getMessage(LEASE_STREAM, { last_by_subj: subject });
        if (!m) return undefined;
        let value: unknown;
        try {
          value = m.json();
        } catch {
          value = undefined;
        }
        return { seq: m.seq, value };
      } catch (err) {
        if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.NoMessageFound) return undefined;
        throw err;
      }
    },
    async subjects(filter) {
      const info = await jsm.streams.info(LEASE_STREAM, { subjects_filter: filter });
      return Object.keys(info.state.subjects ?? {});
    },
  };
}

/** The replicas the lease stream gets: those of the other streams, on the server the log is connected to. */
export function leaseReplicas(log: EventLog, setting: StreamReplicasSetting): number {
  return streamReplicas(setting, log.clusterInfo);
}
