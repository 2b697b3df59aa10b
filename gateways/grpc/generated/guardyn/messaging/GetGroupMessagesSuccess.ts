// Original file: proto/guardyn/messaging.proto

import type {
  GroupMessage as _guardyn_messaging_GroupMessage,
  GroupMessage__Output as _guardyn_messaging_GroupMessage__Output,
} from '../../guardyn/messaging/GroupMessage.ts';
import type {
  PaginationResponse as _guardyn_common_PaginationResponse,
  PaginationResponse__Output as _guardyn_common_PaginationResponse__Output,
} from '../../guardyn/common/PaginationResponse.ts';

export interface GetGroupMessagesSuccess {
  messages?: _guardyn_messaging_GroupMessage[];
  pagination?: _guardyn_common_PaginationResponse | null;
  next_cursor?: string;
  has_more?: boolean;
  stale?: boolean;
}

export interface GetGroupMessagesSuccess__Output {
  messages: _guardyn_messaging_GroupMessage__Output[];
  pagination: _guardyn_common_PaginationResponse__Output | null;
  next_cursor: string;
  has_more: boolean;
  stale: boolean;
}
