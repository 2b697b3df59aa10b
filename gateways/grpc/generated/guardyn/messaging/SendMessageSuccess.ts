// Original file: proto/guardyn/messaging.proto

import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type {
  DeliveryStatus as _guardyn_messaging_DeliveryStatus,
  DeliveryStatus__Output as _guardyn_messaging_DeliveryStatus__Output,
} from '../../guardyn/messaging/DeliveryStatus.ts';
import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface SendMessageSuccess {
  message_id?: string;
  server_timestamp?: _guardyn_common_Timestamp | null;
  delivery_status?: _guardyn_messaging_DeliveryStatus;
  consistency?: _guardyn_common_ConsistencyToken | null;
  conversation_id?: string;
}

export interface SendMessageSuccess__Output {
  message_id: string;
  server_timestamp: _guardyn_common_Timestamp__Output | null;
  delivery_status: _guardyn_messaging_DeliveryStatus__Output;
  consistency: _guardyn_common_ConsistencyToken__Output | null;
  conversation_id: string;
}
