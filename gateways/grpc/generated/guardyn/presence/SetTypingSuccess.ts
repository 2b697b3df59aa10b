// Original file: proto/guardyn/presence.proto

export interface SetTypingSuccess {
  acknowledged?: boolean;
}

export interface SetTypingSuccess__Output {
  acknowledged: boolean;
}
