// Original file: proto/guardyn/messaging.proto

import type {
  GetConversationsSuccess as _guardyn_messaging_GetConversationsSuccess,
  GetConversationsSuccess__Output as _guardyn_messaging_GetConversationsSuccess__Output,
} from '../../guardyn/messaging/GetConversationsSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetConversationsResponse {
  success?: _guardyn_messaging_GetConversationsSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetConversationsResponse__Output {
  success?: _guardyn_messaging_GetConversationsSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
