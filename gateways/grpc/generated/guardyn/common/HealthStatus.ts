// Original file: proto/guardyn/common.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';

// Original file: proto/guardyn/common.proto

export const _guardyn_common_HealthStatus_Status = {
  UNKNOWN: 'UNKNOWN',
  HEALTHY: 'HEALTHY',
  DEGRADED: 'DEGRADED',
  UNHEALTHY: 'UNHEALTHY',
} as const;

export type _guardyn_common_HealthStatus_Status = 'UNKNOWN' | 0 | 'HEALTHY' | 1 | 'DEGRADED' | 2 | 'UNHEALTHY' | 3;

export type _guardyn_common_HealthStatus_Status__Output =
  (typeof _guardyn_common_HealthStatus_Status)[keyof typeof _guardyn_common_HealthStatus_Status];

export interface HealthStatus {
  status?: _guardyn_common_HealthStatus_Status;
  version?: string;
  timestamp?: _guardyn_common_Timestamp | null;
  components?: { [key: string]: string };
}

export interface HealthStatus__Output {
  status: _guardyn_common_HealthStatus_Status__Output;
  version: string;
  timestamp: _guardyn_common_Timestamp__Output | null;
  components: { [key: string]: string };
}
