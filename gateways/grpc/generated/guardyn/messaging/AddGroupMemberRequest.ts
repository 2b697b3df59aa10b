// Original file: proto/guardyn/messaging.proto

export interface AddGroupMemberRequest {
  access_token?: string;
  group_id?: string;
  member_user_id?: string;
  member_device_id?: string;
  mls_group_state?: Buffer | Uint8Array | string;
  role?: string;
}

export interface AddGroupMemberRequest__Output {
  access_token: string;
  group_id: string;
  member_user_id: string;
  member_device_id: string;
  mls_group_state: Buffer;
  role: string;
}
