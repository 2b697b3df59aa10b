// Original file: proto/guardyn/auth.proto

import type {
  ListDevicesSuccess as _guardyn_auth_ListDevicesSuccess,
  ListDevicesSuccess__Output as _guardyn_auth_ListDevicesSuccess__Output,
} from '../../guardyn/auth/ListDevicesSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface ListDevicesResponse {
  success?: _guardyn_auth_ListDevicesSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface ListDevicesResponse__Output {
  success?: _guardyn_auth_ListDevicesSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
