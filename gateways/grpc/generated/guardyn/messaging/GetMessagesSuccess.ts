// Original file: proto/guardyn/messaging.proto

import type {
  Message as _guardyn_messaging_Message,
  Message__Output as _guardyn_messaging_Message__Output,
} from '../../guardyn/messaging/Message.ts';
import type {
  PaginationResponse as _guardyn_common_PaginationResponse,
  PaginationResponse__Output as _guardyn_common_PaginationResponse__Output,
} from '../../guardyn/common/PaginationResponse.ts';

export interface GetMessagesSuccess {
  messages?: _guardyn_messaging_Message[];
  pagination?: _guardyn_common_PaginationResponse | null;
  has_more?: boolean;
  next_cursor?: string;
  stale?: boolean;
}

export interface GetMessagesSuccess__Output {
  messages: _guardyn_messaging_Message__Output[];
  pagination: _guardyn_common_PaginationResponse__Output | null;
  has_more: boolean;
  next_cursor: string;
  stale: boolean;
}
