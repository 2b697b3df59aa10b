// Original file: proto/guardyn/messaging.proto

export interface LeaveGroupRequest {
  access_token?: string;
  group_id?: string;
}

export interface LeaveGroupRequest__Output {
  access_token: string;
  group_id: string;
}
