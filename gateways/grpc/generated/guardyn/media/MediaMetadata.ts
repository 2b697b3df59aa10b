// Original file: proto/guardyn/media.proto

import type {
  MediaType as _guardyn_media_MediaType,
  MediaType__Output as _guardyn_media_MediaType__Output,
} from '../../guardyn/media/MediaType.ts';
import type {
  UploadStatus as _guardyn_media_UploadStatus,
  UploadStatus__Output as _guardyn_media_UploadStatus__Output,
} from '../../guardyn/media/UploadStatus.ts';
import type { Long } from '@grpc/proto-loader';

export interface MediaMetadata {
  media_id?: string;
  owner_user_id?: string;
  filename?: string;
  media_type?: _guardyn_media_MediaType;
  mime_type?: string;
  size_bytes?: number | string | Long;
  checksum_sha256?: string;
  created_at?: number | string | Long;
  updated_at?: number | string | Long;
  status?: _guardyn_media_UploadStatus;
  width?: number;
  height?: number;
  duration_ms?: number;
  thumbnail_id?: string;
  is_encrypted?: boolean;
  encryption_key_id?: Buffer | Uint8Array | string;
  iv?: Buffer | Uint8Array | string;
  conversation_id?: string;
  message_id?: string;
  storage_path?: string;
}

export interface MediaMetadata__Output {
  media_id: string;
  owner_user_id: string;
  filename: string;
  media_type: _guardyn_media_MediaType__Output;
  mime_type: string;
  size_bytes: string;
  checksum_sha256: string;
  created_at: string;
  updated_at: string;
  status: _guardyn_media_UploadStatus__Output;
  width: number;
  height: number;
  duration_ms: number;
  thumbnail_id: string;
  is_encrypted: boolean;
  encryption_key_id: Buffer;
  iv: Buffer;
  conversation_id: string;
  message_id: string;
  storage_path: string;
}
