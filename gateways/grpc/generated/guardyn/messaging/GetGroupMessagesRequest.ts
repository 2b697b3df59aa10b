// Original file: proto/guardyn/messaging.proto

import type {
  PaginationRequest as _guardyn_common_PaginationRequest,
  PaginationRequest__Output as _guardyn_common_PaginationRequest__Output,
} from '../../guardyn/common/PaginationRequest.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from '../../guardyn/common/Timestamp.ts';
import type { Long } from '@grpc/proto-loader';

export interface GetGroupMessagesRequest {
  access_token?: string;
  group_id?: string;
  pagination?: _guardyn_common_PaginationRequest | null;
  start_time?: _guardyn_common_Timestamp | null;
  end_time?: _guardyn_common_Timestamp | null;
  limit?: number;
  min_seq?: number | string | Long;
  cursor?: string;
}

export interface GetGroupMessagesRequest__Output {
  access_token: string;
  group_id: string;
  pagination: _guardyn_common_PaginationRequest__Output | null;
  start_time: _guardyn_common_Timestamp__Output | null;
  end_time: _guardyn_common_Timestamp__Output | null;
  limit: number;
  min_seq: string;
  cursor: string;
}
