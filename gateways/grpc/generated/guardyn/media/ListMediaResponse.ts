// Original file: proto/guardyn/media.proto

import type {
  MediaMetadata as _guardyn_media_MediaMetadata,
  MediaMetadata__Output as _guardyn_media_MediaMetadata__Output,
} from '../../guardyn/media/MediaMetadata.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from '../../guardyn/common/ErrorResponse.ts';

export interface ListMediaResponse {
  items?: _guardyn_media_MediaMetadata[];
  next_cursor?: string;
  total_count?: number;
  error?: _guardyn_common_ErrorResponse | null;
}

export interface ListMediaResponse__Output {
  items: _guardyn_media_MediaMetadata__Output[];
  next_cursor: string;
  total_count: number;
  error: _guardyn_common_ErrorResponse__Output | null;
}
