// Original file: proto/guardyn/messaging.proto

import type {
  ClearChatSuccess as _guardyn_messaging_ClearChatSuccess,
  ClearChatSuccess__Output as _guardyn_messaging_ClearChatSuccess__Output,
} from '../../guardyn/messaging/ClearChatSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface ClearChatResponse {
  success?: _guardyn_messaging_ClearChatSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface ClearChatResponse__Output {
  success?: _guardyn_messaging_ClearChatSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
