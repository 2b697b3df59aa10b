// Original file: proto/guardyn/messaging.proto

import type {
  GetMessagesSuccess as _guardyn_messaging_GetMessagesSuccess,
  GetMessagesSuccess__Output as _guardyn_messaging_GetMessagesSuccess__Output,
} from '../../guardyn/messaging/GetMessagesSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetMessagesResponse {
  success?: _guardyn_messaging_GetMessagesSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetMessagesResponse__Output {
  success?: _guardyn_messaging_GetMessagesSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
