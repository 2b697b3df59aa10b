// Original file: proto/guardyn/auth.proto

export interface GetUserProfileRequest {
  user_id?: string;
}

export interface GetUserProfileRequest__Output {
  user_id: string;
}
