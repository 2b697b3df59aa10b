// Original file: proto/guardyn/messaging.proto

export interface DeleteMessageRequest {
  access_token?: string;
  message_id?: string;
  delete_for_everyone?: boolean;
  conversation_id?: string;
}

export interface DeleteMessageRequest__Output {
  access_token: string;
  message_id: string;
  delete_for_everyone: boolean;
  conversation_id: string;
}
