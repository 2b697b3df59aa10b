// Original file: proto/guardyn/messaging.proto

export interface TypingIndicatorRequest {
  access_token?: string;
  recipient_user_id?: string;
  is_typing?: boolean;
}

export interface TypingIndicatorRequest__Output {
  access_token: string;
  recipient_user_id: string;
  is_typing: boolean;
}
