/** The contract's Health RPC (guardyn.common.HealthStatus), shared by every service. */
import { toTimestamp, type TimestampMessage } from './timestamps.ts';

export const GUARDYN_VERSION = '0.1.0';

export interface HealthProbe {
  /** Component name → 'ok' or a short reason; any non-'ok' makes the status DEGRADED. */
  (): Promise<Record<string, string>>;
}

export async function healthStatus(
  probe: HealthProbe,
): Promise<{ status: string; version: string; timestamp: TimestampMessage; components: Record<string, string> }> {
  const components = await probe().catch((err: Error) => ({ probe: err.message }));
  const healthy = Object.values(components).every((v) => v === 'ok');
  return {
    status: healthy ? 'HEALTHY' : 'DEGRADED',
    version: GUARDYN_VERSION,
    timestamp: toTimestamp(Date.now()),
    components,
  };
}
