// Original file: proto/guardyn/auth.proto

import type {
  SearchUsersSuccess as _guardyn_auth_SearchUsersSuccess,
  SearchUsersSuccess__Output as _guardyn_auth_SearchUsersSuccess__Output,
} from '../../guardyn/auth/SearchUsersSuccess.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface SearchUsersResponse {
  success?: _guardyn_auth_SearchUsersSuccess | null;
  error?: _guardyn_common_ErrorResponse | null;
  result?: 'success' | 'error';
}

export interface SearchUsersResponse__Output {
  success?: _guardyn_auth_SearchUsersSuccess__Output | null;
  error?: _guardyn_common_ErrorResponse__Output | null;
  result?: 'success' | 'error';
}
