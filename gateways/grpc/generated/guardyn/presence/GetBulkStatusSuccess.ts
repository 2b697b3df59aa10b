// Original file: proto/guardyn/presence.proto

import type {
  UserPresence as _guardyn_presence_UserPresence,
  UserPresence__Output as _guardyn_presence_UserPresence__Output,
} from '../../guardyn/presence/UserPresence.ts';

export interface GetBulkStatusSuccess {
  presences?: _guardyn_presence_UserPresence[];
}

export interface GetBulkStatusSuccess__Output {
  presences: _guardyn_presence_UserPresence__Output[];
}
