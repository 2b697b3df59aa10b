// Original file: proto/guardyn/messaging.proto

import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from '../../guardyn/common/ConsistencyToken.ts';

export interface AddGroupMemberSuccess {
  added?: boolean;
  consistency?: _guardyn_common_ConsistencyToken | null;
}

export interface AddGroupMemberSuccess__Output {
  added: boolean;
  consistency: _guardyn_common_ConsistencyToken__Output | null;
}
