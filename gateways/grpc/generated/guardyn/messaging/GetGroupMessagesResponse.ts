// Original file: proto/guardyn/messaging.proto

import type {
  GetGroupMessagesSuccess as _guardyn_messaging_GetGroupMessagesSuccess,
  GetGroupMessagesSuccess__Output as _guardyn_messaging_GetGroupMessagesSuccess__Output,
} from '../../guardyn/messaging/GetGroupMessagesSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetGroupMessagesResponse {
  success?: _guardyn_messaging_GetGroupMessagesSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetGroupMessagesResponse__Output {
  success?: _guardyn_messaging_GetGroupMessagesSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
