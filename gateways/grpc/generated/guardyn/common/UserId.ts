// Original file: proto/guardyn/common.proto

export interface UserId {
  id?: string;
}

export interface UserId__Output {
  id: string;
}
