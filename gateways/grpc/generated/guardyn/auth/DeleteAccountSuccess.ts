// Original file: proto/guardyn/auth.proto

export interface DeleteAccountSuccess {
  user_id?: string;
  message?: string;
}

export interface DeleteAccountSuccess__Output {
  user_id: string;
  message: string;
}
