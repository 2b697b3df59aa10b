// Original file: proto/guardyn/messaging.proto

export interface CreateGroupRequest {
  access_token?: string;
  group_name?: string;
  member_user_ids?: string[];
  mls_group_state?: Buffer | Uint8Array | string;
}

export interface CreateGroupRequest__Output {
  access_token: string;
  group_name: string;
  member_user_ids: string[];
  mls_group_state: Buffer;
}
