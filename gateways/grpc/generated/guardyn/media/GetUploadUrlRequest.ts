// Original file: proto/guardyn/media.proto

import type { Long } from '@grpc/proto-loader';

export interface GetUploadUrlRequest {
  filename?: string;
  mime_type?: string;
  size_bytes?: number | string | Long;
  conversation_id?: string;
  checksum_sha256?: string;
}

export interface GetUploadUrlRequest__Output {
  filename: string;
  mime_type: string;
  size_bytes: string;
  conversation_id: string;
  checksum_sha256: string;
}
