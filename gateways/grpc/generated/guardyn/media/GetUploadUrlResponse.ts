// Original file: proto/guardyn/media.proto

import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';
import type { Long } from '@grpc/proto-loader';

export interface GetUploadUrlResponse {
  upload_url?: string;
  media_id?: string;
  expires_at?: number | string | Long;
  headers?: { [key: string]: string };
  error?: _guardyn_common_ErrorResponse | null;
}

export interface GetUploadUrlResponse__Output {
  upload_url: string;
  media_id: string;
  expires_at: string;
  headers: { [key: string]: string };
  error: _guardyn_common_ErrorResponse__Output | null;
}
