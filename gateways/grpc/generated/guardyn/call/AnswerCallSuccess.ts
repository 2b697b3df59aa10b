// Original file: proto/guardyn/call.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface AnswerCallSuccess {
  call_id?: string;
  answered_at?: _guardyn_common_Timestamp | null;
  consistency?: _guardyn_common_ConsistencyToken | null;
}

export interface AnswerCallSuccess__Output {
  call_id: string;
  answered_at: _guardyn_common_Timestamp__Output | null;
  consistency: _guardyn_common_ConsistencyToken__Output | null;
}
