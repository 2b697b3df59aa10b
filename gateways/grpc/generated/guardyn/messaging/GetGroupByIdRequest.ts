// Original file: proto/guardyn/messaging.proto

import type { Long } from '@grpc/proto-loader';

export interface GetGroupByIdRequest {
  access_token?: string;
  group_id?: string;
  min_seq?: number | string | Long;
}

export interface GetGroupByIdRequest__Output {
  access_token: string;
  group_id: string;
  min_seq: string;
}
