// Original file: proto/guardyn/messaging.proto

import type { Long } from '@grpc/proto-loader';

export interface GetGroupsRequest {
  access_token?: string;
  limit?: number;
  cursor?: string;
  min_seq?: number | string | Long;
}

export interface GetGroupsRequest__Output {
  access_token: string;
  limit: number;
  cursor: string;
  min_seq: string;
}
