// Original file: proto/guardyn/presence.proto

import type {
  GetBulkStatusSuccess as _guardyn_presence_GetBulkStatusSuccess,
  GetBulkStatusSuccess__Output as _guardyn_presence_GetBulkStatusSuccess__Output,
} from '../../guardyn/presence/GetBulkStatusSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GetBulkStatusResponse {
  success?: _guardyn_presence_GetBulkStatusSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface GetBulkStatusResponse__Output {
  success?: _guardyn_presence_GetBulkStatusSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
