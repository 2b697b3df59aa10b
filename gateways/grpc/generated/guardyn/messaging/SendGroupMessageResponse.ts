// Original file: proto/guardyn/messaging.proto

import type {
  SendGroupMessageSuccess as _guardyn_messaging_SendGroupMessageSuccess,
  SendGroupMessageSuccess__Output as _guardyn_messaging_SendGroupMessageSuccess__Output,
} from '../../guardyn/messaging/SendGroupMessageSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface SendGroupMessageResponse {
  success?: _guardyn_messaging_SendGroupMessageSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface SendGroupMessageResponse__Output {
  success?: _guardyn_messaging_SendGroupMessageSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
