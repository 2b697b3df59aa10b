// Original file: proto/guardyn/presence.proto

import type {
  UpdateStatusSuccess as _guardyn_presence_UpdateStatusSuccess,
  UpdateStatusSuccess__Output as _guardyn_presence_UpdateStatusSuccess__Output,
} from '../../guardyn/presence/UpdateStatusSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface UpdateStatusResponse {
  success?: _guardyn_presence_UpdateStatusSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface UpdateStatusResponse__Output {
  success?: _guardyn_presence_UpdateStatusSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
