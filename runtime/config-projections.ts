/**
 * The projection workers (GUARDYN_PROJECTIONS__*): how many partitions the
 * conversation-keyed views split into, and the identity and lease time of this
 * worker (projections/runtime/partitions.ts, projections/runtime/leases.ts).
 */
import os from 'node:os';
import { ConfigError, readInt, readString, type Env } from './config-read.ts';

export interface ProjectionsConfig {
  /** Partitions of the timeline, conversations, inbox and groups views (GUARDYN_PROJECTIONS__PARTITIONS, 1: not split). */
  readonly partitions: number;
  /**
   * Whether workers take leases (several `guardyn serve projections` processes): on when
   * the views are split or GUARDYN_PROJECTIONS__WORKER_ID is set. Off, the one worker runs
   * every view on durable consumers, as a single process always did.
   */
  readonly leases: boolean;
  /** This worker's name in the leases (GUARDYN_PROJECTIONS__WORKER_ID; default host-pid). */
  readonly workerId: string;
  /** How long a lease lasts without renewal (GUARDYN_PROJECTIONS__LEASE_MS, 5000): a dead worker's views move after it. */
  readonly leaseMs: number;
}

const WORKER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function readProjections(env: Env): ProjectionsConfig {
  const partitions = readInt(env, 'GUARDYN_PROJECTIONS__PARTITIONS', 1, 1, 64);
  const named = readString(env, 'GUARDYN_PROJECTIONS__WORKER_ID');
  if (named !== undefined && !WORKER_ID.test(named)) {
    throw new ConfigError(
      `GUARDYN_PROJECTIONS__WORKER_ID=${JSON.stringify(named)} must be 1-64 letters, digits, '_' or '-'`,
    );
  }
  const host =
    os
      .hostname()
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .slice(0, 40) || 'worker';
  return {
    partitions,
    leases: partitions > 1 || named !== undefined,
    workerId: named ?? `${host}-${process.pid}`,
    leaseMs: readInt(env, 'GUARDYN_PROJECTIONS__LEASE_MS', 5000, 300, 120_000),
  };
}
