// Original file: proto/guardyn/media.proto

import type {
  MediaType as _guardyn_media_MediaType,
  MediaType__Output as _guardyn_media_MediaType__Output,
} from '../../guardyn/media/MediaType.ts';
import type { Long } from '@grpc/proto-loader';

export interface UploadMediaHeader {
  filename?: string;
  media_type?: _guardyn_media_MediaType;
  mime_type?: string;
  size_bytes?: number | string | Long;
  checksum_sha256?: string;
  is_encrypted?: boolean;
  encryption_key_id?: Buffer | Uint8Array | string;
  iv?: Buffer | Uint8Array | string;
  conversation_id?: string;
  message_id?: string;
}

export interface UploadMediaHeader__Output {
  filename: string;
  media_type: _guardyn_media_MediaType__Output;
  mime_type: string;
  size_bytes: string;
  checksum_sha256: string;
  is_encrypted: boolean;
  encryption_key_id: Buffer;
  iv: Buffer;
  conversation_id: string;
  message_id: string;
}
