// Original file: proto/guardyn/media.proto

export interface DeleteMediaRequest {
  media_id?: string;
}

export interface DeleteMediaRequest__Output {
  media_id: string;
}
