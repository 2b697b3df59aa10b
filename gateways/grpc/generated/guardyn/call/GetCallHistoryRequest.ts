// Original file: proto/guardyn/call.proto

import type { Long } from '@grpc/proto-loader';

export interface GetCallHistoryRequest {
  access_token?: string;
  limit?: number;
  cursor?: string;
  min_seq?: number | string | Long;
}

export interface GetCallHistoryRequest__Output {
  access_token: string;
  limit: number;
  cursor: string;
  min_seq: string;
}
