// Original file: proto/guardyn/messaging.proto

import type {
  CreateGroupSuccess as _guardyn_messaging_CreateGroupSuccess,
  CreateGroupSuccess__Output as _guardyn_messaging_CreateGroupSuccess__Output,
} from '../../guardyn/messaging/CreateGroupSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface CreateGroupResponse {
  success?: _guardyn_messaging_CreateGroupSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface CreateGroupResponse__Output {
  success?: _guardyn_messaging_CreateGroupSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
