// Original file: proto/guardyn/auth.proto

import type {
  RevokeDeviceSuccess as _guardyn_auth_RevokeDeviceSuccess,
  RevokeDeviceSuccess__Output as _guardyn_auth_RevokeDeviceSuccess__Output,
} from '../../guardyn/auth/RevokeDeviceSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface RevokeDeviceResponse {
  success?: _guardyn_auth_RevokeDeviceSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface RevokeDeviceResponse__Output {
  success?: _guardyn_auth_RevokeDeviceSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
