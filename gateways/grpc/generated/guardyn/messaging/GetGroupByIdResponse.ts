// Original file: proto/guardyn/messaging.proto

import type {
  GetGroupByIdSuccess as _guardyn_messaging_GetGroupByIdSuccess,
  GetGroupByIdSuccess__Output as _guardyn_messaging_GetGroupByIdSuccess__Output,
} from '../../guardyn/messaging/GetGroupByIdSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetGroupByIdResponse {
  success?: _guardyn_messaging_GetGroupByIdSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetGroupByIdResponse__Output {
  success?: _guardyn_messaging_GetGroupByIdSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
