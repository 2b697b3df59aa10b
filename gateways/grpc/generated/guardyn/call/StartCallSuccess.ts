// Original file: proto/guardyn/call.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface StartCallSuccess {
  call_id?: string;
  started_at?: _guardyn_common_Timestamp | null;
  ring_timeout_ms?: number;
  consistency?: _guardyn_common_ConsistencyToken | null;
  callee_online?: boolean;
}

export interface StartCallSuccess__Output {
  call_id: string;
  started_at: _guardyn_common_Timestamp__Output | null;
  ring_timeout_ms: number;
  consistency: _guardyn_common_ConsistencyToken__Output | null;
  callee_online: boolean;
}
