/**
 * AuthService RPCs: SearchUsers and GetUserProfile (DeleteAccount is in
 * auth-sessions.ts).
 *
 * - SearchUsers {access_token, query, limit, cursor}: authenticated;
 *   case-insensitive username prefix (query: 1-32 of [A-Za-z0-9_]), ordered by
 *   username, `limit` 1-100 (0: 20), opaque cursor (next_cursor / has_more);
 *   never lists the caller; rate-limited per client address. A hit carries
 *   only user_id, username (as registered) and created_at.
 * - GetUserProfile {user_id}: authenticated by the metadata token. The email
 *   only for the caller's own profile; last_seen only for the caller (now: the
 *   caller is online), since another user's activity is theirs to share
 *   (presence, with its own visibility setting). Unknown user: NOT_FOUND.
 *
 * Both read the users view, so a user registered a moment ago may not be
 * found until the view has applied the registration (typically milliseconds).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { searchUsers } from '../../../projections/users/search-users.ts';
import type { AuthServiceDeps } from './deps.ts';
import { authenticate } from '../../shared/auth-context.ts';
import { errorResponse, fromDomain } from '../../shared/errors.ts';
import { unary, type ReplyOf } from '../server.ts';
import { toTimestamp } from '../timestamps.ts';
import { BoundedString, decodeRequest, PageSizeWithDefault, SearchQuery, Uuid } from '../../shared/validation.ts';
import type { UserSearchResult } from '../generated/guardyn/auth/UserSearchResult.ts';
import type { AuthServiceHandlers as Rpc } from '../generated/guardyn/auth/AuthService.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

export const DEFAULT_SEARCH_LIMIT = 20;

const SearchUsersRequest = t.type({
  query: SearchQuery,
  limit: PageSizeWithDefault(DEFAULT_SEARCH_LIMIT),
  cursor: BoundedString('Cursor', 128, { rejectControl: true }),
});

const GetUserProfileRequest = t.type({ user_id: Uuid });

export function directoryRpcs(deps: AuthServiceDeps): Pick<Rpc, 'SearchUsers' | 'GetUserProfile'> {
  const { users } = deps;

  return {
    SearchUsers: unary('auth.SearchUsers', deps.logger, async (call): Reply<'SearchUsers'> => {
      const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(SearchUsersRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const throttled = deps.limits.beginSearch(call);
      if (throttled !== undefined) return { error: throttled };
      const r = req.right;
      const result = await searchUsers(users, {
        query: r.query,
        callerUserId: who.right.userId,
        limit: r.limit,
        cursor: r.cursor,
      });
      if (isLeft(result)) return { error: fromDomain(result.left) };
      return {
        success: {
          users: result.right.users.map(
            (u): UserSearchResult => ({
              user_id: u.userId,
              username: u.username,
              created_at: toTimestamp(u.createdAt),
            }),
          ),
          next_cursor: result.right.nextCursor,
          has_more: result.right.hasMore,
        },
      };
    }),

    GetUserProfile: unary('auth.GetUserProfile', deps.logger, async (call): Reply<'GetUserProfile'> => {
      const who = await authenticate(call, undefined, deps.tokens, deps.sessions);
      if (isLeft(who)) return { error: who.left };
      const req = decodeRequest(GetUserProfileRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const user = await users.byId(req.right.user_id);
      if (user === undefined) return { error: errorResponse('NOT_FOUND', 'user not found') };
      const self = user.userId === who.right.userId;
      return {
        success: {
          user_id: user.userId,
          username: user.username,
          email: self ? user.email : '',
          created_at: toTimestamp(user.createdAt),
          last_seen: self ? toTimestamp(Date.now()) : null,
        },
      };
    }),
  };
}
