// Original file: proto/guardyn/media.proto

export interface GetDownloadUrlRequest {
  media_id?: string;
}

export interface GetDownloadUrlRequest__Output {
  media_id: string;
}
