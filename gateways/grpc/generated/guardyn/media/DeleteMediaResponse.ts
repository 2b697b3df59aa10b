// Original file: proto/guardyn/media.proto

import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface DeleteMediaResponse {
  success?: boolean;
  error?: _guardyn_common_ErrorResponse | null;
}

export interface DeleteMediaResponse__Output {
  success: boolean;
  error: _guardyn_common_ErrorResponse__Output | null;
}
