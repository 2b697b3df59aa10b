// Original file: proto/guardyn/presence.proto

import type {
  UserStatus as _guardyn_presence_UserStatus,
  UserStatus__Output as _guardyn_presence_UserStatus__Output,
} from '../../guardyn/presence/UserStatus.ts';

export interface UpdateStatusRequest {
  access_token?: string;
  status?: _guardyn_presence_UserStatus;
  custom_status_text?: string;
}

export interface UpdateStatusRequest__Output {
  access_token: string;
  status: _guardyn_presence_UserStatus__Output;
  custom_status_text: string;
}
