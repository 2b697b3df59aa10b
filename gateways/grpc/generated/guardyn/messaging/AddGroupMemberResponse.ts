// Original file: proto/guardyn/messaging.proto

import type {
  AddGroupMemberSuccess as _guardyn_messaging_AddGroupMemberSuccess,
  AddGroupMemberSuccess__Output as _guardyn_messaging_AddGroupMemberSuccess__Output,
} from '../../guardyn/messaging/AddGroupMemberSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface AddGroupMemberResponse {
  success?: _guardyn_messaging_AddGroupMemberSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface AddGroupMemberResponse__Output {
  success?: _guardyn_messaging_AddGroupMemberSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
