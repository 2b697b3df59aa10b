// Original file: proto/guardyn/messaging.proto

export interface MarkAsReadRequest {
  access_token?: string;
  message_ids?: string[];
}

export interface MarkAsReadRequest__Output {
  access_token: string;
  message_ids: string[];
}
