// Original file: proto/guardyn/messaging.proto

export interface TypingIndicatorSuccess {
  sent?: boolean;
}

export interface TypingIndicatorSuccess__Output {
  sent: boolean;
}
