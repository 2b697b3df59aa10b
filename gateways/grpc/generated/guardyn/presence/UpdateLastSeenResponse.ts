// Original file: proto/guardyn/presence.proto

import type {
  UpdateLastSeenSuccess as _guardyn_presence_UpdateLastSeenSuccess,
  UpdateLastSeenSuccess__Output as _guardyn_presence_UpdateLastSeenSuccess__Output,
} from '../../guardyn/presence/UpdateLastSeenSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface UpdateLastSeenResponse {
  success?: _guardyn_presence_UpdateLastSeenSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface UpdateLastSeenResponse__Output {
  success?: _guardyn_presence_UpdateLastSeenSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
