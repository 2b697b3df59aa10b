// Original file: proto/guardyn/messaging.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface SendGroupMessageSuccess {
  message_id?: string;
  server_timestamp?: _guardyn_common_Timestamp | null;
  consistency?: _guardyn_common_ConsistencyToken | null;
}

export interface SendGroupMessageSuccess__Output {
  message_id: string;
  server_timestamp: _guardyn_common_Timestamp__Output | null;
  consistency: _guardyn_common_ConsistencyToken__Output | null;
}
