// Original file: proto/guardyn/media.proto

import type {
  UploadStatus as _guardyn_media_UploadStatus,
  UploadStatus__Output as _guardyn_media_UploadStatus__Output,
} from '../../guardyn/media/UploadStatus.ts';
import type {
  MediaMetadata as _guardyn_media_MediaMetadata,
  MediaMetadata__Output as _guardyn_media_MediaMetadata__Output,
} from '../../guardyn/media/MediaMetadata.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface UploadMediaResponse {
  media_id?: string;
  status?: _guardyn_media_UploadStatus;
  metadata?: _guardyn_media_MediaMetadata | null;
  error_message?: string;
  error?: _guardyn_common_ErrorResponse | null;
}

export interface UploadMediaResponse__Output {
  media_id: string;
  status: _guardyn_media_UploadStatus__Output;
  metadata: _guardyn_media_MediaMetadata__Output | null;
  error_message: string;
  error: _guardyn_common_ErrorResponse__Output | null;
}
