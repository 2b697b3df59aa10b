// Original file: proto/guardyn/messaging.proto

export interface RemoveGroupMemberRequest {
  access_token?: string;
  group_id?: string;
  member_user_id?: string;
  mls_group_state?: Buffer | Uint8Array | string;
}

export interface RemoveGroupMemberRequest__Output {
  access_token: string;
  group_id: string;
  member_user_id: string;
  mls_group_state: Buffer;
}
