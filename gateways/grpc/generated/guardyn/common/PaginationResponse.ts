// Original file: proto/guardyn/common.proto

export interface PaginationResponse {
  total_items?: number;
  total_pages?: number;
  current_page?: number;
  page_size?: number;
}

export interface PaginationResponse__Output {
  total_items: number;
  total_pages: number;
  current_page: number;
  page_size: number;
}
