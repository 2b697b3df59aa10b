// Original file: proto/guardyn/presence.proto

import type {
  SetTypingSuccess as _guardyn_presence_SetTypingSuccess,
  SetTypingSuccess__Output as _guardyn_presence_SetTypingSuccess__Output,
} from '../../guardyn/presence/SetTypingSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface SetTypingResponse {
  success?: _guardyn_presence_SetTypingSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface SetTypingResponse__Output {
  success?: _guardyn_presence_SetTypingSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
