// Original file: proto/guardyn/auth.proto

import type {
  DeleteAccountSuccess as _guardyn_auth_DeleteAccountSuccess,
  DeleteAccountSuccess__Output as _guardyn_auth_DeleteAccountSuccess__Output,
} from '../../guardyn/auth/DeleteAccountSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface DeleteAccountResponse {
  success?: _guardyn_auth_DeleteAccountSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface DeleteAccountResponse__Output {
  success?: _guardyn_auth_DeleteAccountSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
