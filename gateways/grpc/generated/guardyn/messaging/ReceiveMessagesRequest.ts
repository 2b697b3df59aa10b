// Original file: proto/guardyn/messaging.proto

import type { Long } from '@grpc/proto-loader';

export interface ReceiveMessagesRequest {
  access_token?: string;
  include_history?: boolean;
  after_seq?: number | string | Long;
}

export interface ReceiveMessagesRequest__Output {
  access_token: string;
  include_history: boolean;
  after_seq: string;
}
