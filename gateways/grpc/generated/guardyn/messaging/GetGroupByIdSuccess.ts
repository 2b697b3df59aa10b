// Original file: proto/guardyn/messaging.proto

import type {
  GroupInfo as _guardyn_messaging_GroupInfo,
  GroupInfo__Output as _guardyn_messaging_GroupInfo__Output,
} from '../../guardyn/messaging/GroupInfo.ts';

export interface GetGroupByIdSuccess {
  group?: _guardyn_messaging_GroupInfo | null;
  stale?: boolean;
}

export interface GetGroupByIdSuccess__Output {
  group: _guardyn_messaging_GroupInfo__Output | null;
  stale: boolean;
}
