// Original file: proto/guardyn/common.proto

export interface PaginationRequest {
  page?: number;
  page_size?: number;
}

export interface PaginationRequest__Output {
  page: number;
  page_size: number;
}
