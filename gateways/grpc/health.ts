/** The contract's Health RPC (guardyn.common.HealthStatus), shared by every service. */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { HealthStatus } from './generated/guardyn/common/HealthStatus.ts';
import { answered } from './server.ts';
import { toTimestamp } from './timestamps.ts';

export const GUARDYN_VERSION = '0.1.0';

export interface HealthProbe {
  /** Component name → 'ok' or a short reason; any non-'ok' makes the status DEGRADED. */
  (): Promise<Record<string, string>>;
}

/** The status the probe gives: HEALTHY when every component is 'ok', else DEGRADED (also when the probe fails). */
export async function healthStatus(probe: HealthProbe): Promise<HealthStatus> {
  let components: Record<string, string>;
  try {
    components = await probe();
  } catch (err) {
    components = { probe: err instanceof Error ? err.message : 'the health probe failed' };
  }
  const healthy = Object.values(components).every((v) => v === 'ok');
  return {
    status: healthy ? 'HEALTHY' : 'DEGRADED',
    version: GUARDYN_VERSION,
    timestamp: toTimestamp(Date.now()),
    components,
  };
}

/**
 * The Health RPC of a service. HealthStatus has no `error` member, so a fault
 * answers UNHEALTHY (naming the error code) rather than an empty status.
 */
export function healthRpc(
  method: string,
  logger: Logger,
  probe: HealthProbe,
): grpc.handleUnaryCall<unknown, HealthStatus> {
  return answered(
    method,
    logger,
    () => healthStatus(probe),
    (error) => ({
      status: 'UNHEALTHY',
      version: GUARDYN_VERSION,
      timestamp: toTimestamp(Date.now()),
      components: { gateway: error.code },
    }),
  );
}
