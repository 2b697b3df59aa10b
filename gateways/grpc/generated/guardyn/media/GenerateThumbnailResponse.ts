// Original file: proto/guardyn/media.proto

import type {
  MediaMetadata as _guardyn_media_MediaMetadata,
  MediaMetadata__Output as _guardyn_media_MediaMetadata__Output,
} from '../../guardyn/media/MediaMetadata.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface GenerateThumbnailResponse {
  thumbnail_id?: string;
  metadata?: _guardyn_media_MediaMetadata | null;
  error?: _guardyn_common_ErrorResponse | null;
}

export interface GenerateThumbnailResponse__Output {
  thumbnail_id: string;
  metadata: _guardyn_media_MediaMetadata__Output | null;
  error: _guardyn_common_ErrorResponse__Output | null;
}
