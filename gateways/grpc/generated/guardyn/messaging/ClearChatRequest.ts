// Original file: proto/guardyn/messaging.proto

export interface ClearChatRequest {
  access_token?: string;
  conversation_id?: string;
}

export interface ClearChatRequest__Output {
  access_token: string;
  conversation_id: string;
}
