/**
 * SearchUsers over the users view: a case-insensitive username prefix, in
 * lower-case username order, a page at a time.
 *
 * - The name index (`users/name/<lower-case name>`) is scanned from the
 *   prefix's first key (or just after the cursor's name) to the end of the
 *   prefix's range: only matching rows are ever read, however many users exist.
 * - The caller is never listed, and the page is still full when the caller
 *   would have been on it: the scan asks for one row more than it needs and
 *   goes on when rows had to be skipped (the caller, or a user whose record is
 *   gone).
 * - The cursor is opaque to clients: base64url of `u1:<last name returned>`.
 *   It must extend the query's prefix; the next page starts after that name,
 *   so pages never repeat or skip a user that existed across both calls.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../commands/handler/decider.ts';
import type { UsersView } from './queries.ts';
import type { UserRecord } from './schema.ts';

export interface SearchUsersInput {
  /** The prefix as typed (any case). */
  readonly query: string;
  /** Never listed. */
  readonly callerUserId: string;
  readonly limit: number;
  /** '' for the first page. */
  readonly cursor: string;
}

export interface SearchUsersResult {
  readonly users: UserRecord[];
  /** '' on the last page. */
  readonly nextCursor: string;
  readonly hasMore: boolean;
}

const CURSOR_VERSION = 'u1:';
const CURSOR_NAME = /^[a-z0-9_.-]{1,32}$/;

export const searchCursor = {
  encode: (name: string): string => Buffer.from(`${CURSOR_VERSION}${name}`, 'utf8').toString('base64url'),
  /** The name a cursor resumes after, when it is one of ours for this prefix. */
  decode(cursor: string, prefix: string): string | undefined {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(CURSOR_VERSION)) return undefined;
    const name = text.slice(CURSOR_VERSION.length);
    return CURSOR_NAME.test(name) && name.startsWith(prefix) ? name : undefined;
  },
};

export async function searchUsers(
  users: UsersView,
  input: SearchUsersInput,
): Promise<Either<DomainError, SearchUsersResult>> {
  const prefix = input.query.toLowerCase();
  let after: string | undefined;
  if (input.cursor !== '') {
    after = searchCursor.decode(input.cursor, prefix);
    if (after === undefined)
      return left(
        domainError(
          'INVALID_REQUEST',
          'invalid request: cursor is not one this server issued for this query',
          'cursor',
        ),
      );
  }
  const found: { readonly name: string; readonly user: UserRecord }[] = [];
  // One row more than the page (to know whether more follow), plus one for the caller.
  while (found.length <= input.limit) {
    const want = input.limit + 2 - found.length;
    const batch = await users.namesWithPrefix(prefix, { ...(after === undefined ? {} : { after }), limit: want });
    const records = await users.byIds(batch.map((e) => e.userId));
    batch.forEach((entry, i) => {
      const user = records[i];
      if (user !== undefined && user.userId !== input.callerUserId) found.push({ name: entry.name, user });
    });
    const last = batch[batch.length - 1];
    if (last === undefined || batch.length < want) break;
    after = last.name;
  }
  const page = found.slice(0, input.limit);
  const hasMore = found.length > input.limit;
  const lastOnPage = page[page.length - 1];
  return right({
    users: page.map((f) => f.user),
    nextCursor: hasMore && lastOnPage !== undefined ? searchCursor.encode(lastOnPage.name) : '',
    hasMore,
  });
}
