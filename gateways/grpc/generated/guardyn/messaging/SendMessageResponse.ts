// Original file: proto/guardyn/messaging.proto

import type {
  SendMessageSuccess as _guardyn_messaging_SendMessageSuccess,
  SendMessageSuccess__Output as _guardyn_messaging_SendMessageSuccess__Output,
} from '../../guardyn/messaging/SendMessageSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface SendMessageResponse {
  success?: _guardyn_messaging_SendMessageSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface SendMessageResponse__Output {
  success?: _guardyn_messaging_SendMessageSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
