// Original file: proto/guardyn/messaging.proto

import type {
  GroupInfo as _guardyn_messaging_GroupInfo,
  GroupInfo__Output as _guardyn_messaging_GroupInfo__Output,
} from '../../guardyn/messaging/GroupInfo.ts';

export interface GetGroupsSuccess {
  groups?: _guardyn_messaging_GroupInfo[];
  next_cursor?: string;
  has_more?: boolean;
  stale?: boolean;
}

export interface GetGroupsSuccess__Output {
  groups: _guardyn_messaging_GroupInfo__Output[];
  next_cursor: string;
  has_more: boolean;
  stale: boolean;
}
