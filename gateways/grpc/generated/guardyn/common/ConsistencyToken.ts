// Original file: proto/guardyn/common.proto

import type { Long } from '@grpc/proto-loader';

export interface ConsistencyToken {
  stream?: string;
  seq?: number | string | Long;
}

export interface ConsistencyToken__Output {
  stream: string;
  seq: string;
}
