// Original file: proto/guardyn/presence.proto

export interface SetTypingRequest {
  access_token?: string;
  conversation_user_id?: string;
  is_typing?: boolean;
}

export interface SetTypingRequest__Output {
  access_token: string;
  conversation_user_id: string;
  is_typing: boolean;
}
