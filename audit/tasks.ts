/**
 * The audit tasks a Guardyn process runs: every GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS,
 * signed checkpoints of the truth streams (only the process with the projections role: one
 * writer per deployment, and optimistic concurrency on the checkpoint subject keeps a second
 * one harmless) and an operational sample (rejected commands, projection lag) for reports.
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { EventLog } from '../streams/log.ts';
import { natsRangeReader } from '../streams/range-reader.ts';
import { Checkpointer } from './checkpoints.ts';
import { loadSigningKey } from './keys.ts';
import { StatsSampler, type ViewLag } from './stats.ts';

export interface AuditTasks {
  /** Writes checkpoints and a sample now (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAuditTasks(
  config: GuardynConfig,
  log: EventLog,
  views: readonly ViewLag[],
  logger: Logger,
  checkpoints: boolean,
): Promise<AuditTasks> {
  const intervalMs = config.audit.checkpointIntervalSeconds * 1000;
  if (intervalMs === 0) return { async flush() {}, async stop() {} };
  const reader = natsRangeReader(log);
  const checkpointer = checkpoints
    ? new Checkpointer(reader, await loadSigningKey(config), intervalMs, logger.child({ task: 'audit-checkpoints' }))
    : undefined;
  const sampler = new StatsSampler(reader, views, intervalMs, logger.child({ task: 'audit-stats' }));
  checkpointer?.start();
  await sampler.start();
  return {
    async flush() {
      await checkpointer?.tick();
      await sampler.sample();
    },
    async stop() {
      await checkpointer?.stop();
      await sampler.stop();
    },
  };
}
