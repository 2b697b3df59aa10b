// Original file: proto/guardyn/auth.proto

import type {
  UserSearchResult as _guardyn_auth_UserSearchResult,
  UserSearchResult__Output as _guardyn_auth_UserSearchResult__Output,
} from '../../guardyn/auth/UserSearchResult.ts';

export interface SearchUsersSuccess {
  users?: _guardyn_auth_UserSearchResult[];
  next_cursor?: string;
  has_more?: boolean;
}

export interface SearchUsersSuccess__Output {
  users: _guardyn_auth_UserSearchResult__Output[];
  next_cursor: string;
  has_more: boolean;
}
