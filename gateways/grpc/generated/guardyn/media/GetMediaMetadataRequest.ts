// Original file: proto/guardyn/media.proto

export interface GetMediaMetadataRequest {
  media_id?: string;
}

export interface GetMediaMetadataRequest__Output {
  media_id: string;
}
