// Original file: proto/guardyn/media.proto

import type { Long } from '@grpc/proto-loader';

export interface DownloadMediaRequest {
  media_id?: string;
  offset?: number | string | Long;
  length?: number | string | Long;
}

export interface DownloadMediaRequest__Output {
  media_id: string;
  offset: string;
  length: string;
}
