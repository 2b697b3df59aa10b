// Original file: proto/guardyn/messaging.proto

import type { Long } from '@grpc/proto-loader';

export interface GetConversationsRequest {
  access_token?: string;
  limit?: number;
  min_seq?: number | string | Long;
}

export interface GetConversationsRequest__Output {
  access_token: string;
  limit: number;
  min_seq: string;
}
