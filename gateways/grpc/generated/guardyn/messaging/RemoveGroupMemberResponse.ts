// Original file: proto/guardyn/messaging.proto

import type {
  RemoveGroupMemberSuccess as _guardyn_messaging_RemoveGroupMemberSuccess,
  RemoveGroupMemberSuccess__Output as _guardyn_messaging_RemoveGroupMemberSuccess__Output,
} from '../../guardyn/messaging/RemoveGroupMemberSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface RemoveGroupMemberResponse {
  success?: _guardyn_messaging_RemoveGroupMemberSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface RemoveGroupMemberResponse__Output {
  success?: _guardyn_messaging_RemoveGroupMemberSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
