// Original file: proto/guardyn/presence.proto

import type {
  GetStatusSuccess as _guardyn_presence_GetStatusSuccess,
  GetStatusSuccess__Output as _guardyn_presence_GetStatusSuccess__Output,
} from '../../guardyn/presence/GetStatusSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetStatusResponse {
  success?: _guardyn_presence_GetStatusSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetStatusResponse__Output {
  success?: _guardyn_presence_GetStatusSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
