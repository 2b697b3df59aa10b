// Original file: proto/guardyn/messaging.proto

import type {
  GetGroupsSuccess as _guardyn_messaging_GetGroupsSuccess,
  GetGroupsSuccess__Output as _guardyn_messaging_GetGroupsSuccess__Output,
} from '../../guardyn/messaging/GetGroupsSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetGroupsResponse {
  success?: _guardyn_messaging_GetGroupsSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetGroupsResponse__Output {
  success?: _guardyn_messaging_GetGroupsSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
