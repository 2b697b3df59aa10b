// Original file: proto/guardyn/media.proto

import type {
  MediaMetadata as _guardyn_media_MediaMetadata,
  MediaMetadata__Output as _guardyn_media_MediaMetadata__Output,
} from '../../guardyn/media/MediaMetadata.ts';

export interface DownloadMediaResponse {
  metadata?: _guardyn_media_MediaMetadata | null;
  chunk?: Buffer | Uint8Array | string;
  content?: 'metadata' | 'chunk';
}

export interface DownloadMediaResponse__Output {
  metadata?: _guardyn_media_MediaMetadata__Output | null;
  chunk?: Buffer;
  content?: 'metadata' | 'chunk';
}
